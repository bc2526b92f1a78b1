import type { SessionData } from 'express-session';
import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { signature } from './session-cookie';
import { SIGNED_IN_SQL, SignedInPerson, SignedInRow, signedInFromRow } from '../accounts/signed-in-row';
import { accessibleProjectOf, projectAccessSql, ProjectAccessRow } from '../projects/project-row';
import type { Project } from '../projects/project.model';
import { unreadCountSql } from '../notifications/unread-count-sql';

export interface ProjectPageContext {
  sid: string;
  session: SessionData;
  person: SignedInPerson;
  project: Project;
  unreadCount: number;
}

type Row = SignedInRow & ProjectAccessRow & { unreadCount: number | string };

/**
 * Everything a project page needs to know before it renders, in ONE statement: the session of
 * the cookie (unexpired), its user (active, of the session's generation), the project with the
 * person's access to it (read fresh: a removed member is refused on the next request) and their
 * unread count. Each part is its owner's SQL and rule (accounts, projects, notifications); this
 * only joins them. Null whenever anything is not plainly fine: the regular pipeline then answers,
 * with its redirects, 404s and session clean-up.
 */
export class SignedInContext {
  private readonly sql: string;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly sessionSecret: string,
    private readonly absoluteLifetimeMs: number,
  ) {
    const project = projectAccessSql();
    this.sql = `SELECT ${SIGNED_IN_SQL.select}, ${project.select}, ${unreadCountSql('u.id')} AS "unreadCount"
      FROM ${SIGNED_IN_SQL.from} ${project.join}
      WHERE ${SIGNED_IN_SQL.where}`;
  }

  async forProject(cookieValue: string | undefined, projectId: string): Promise<ProjectPageContext | null> {
    const sid = cookieValue === undefined ? null : signature.unsign(cookieValue, this.sessionSecret);
    if (!sid) return null;
    const now = new Date();
    const [row] = await this.sequelize.query<Row>(this.sql, {
      replacements: { sid, now, projectId },
      type: QueryTypes.SELECT,
      nest: true,
    });
    if (!row) return null;
    const signedIn = signedInFromRow(row, this.absoluteLifetimeMs, now.getTime());
    const project = signedIn && accessibleProjectOf(row);
    if (!signedIn || !project) return null;
    return { sid, ...signedIn, project, unreadCount: Number(row.unreadCount) };
  }
}
