import type { SessionData } from 'express-session';
import { signedInFromRow, signedInSql, SignedInRow } from '../accounts/signed-in-row';
import type { User } from '../accounts/user.model';
import { accessibleProjectOf, projectAccessSql, ProjectAccessRow } from '../projects/project-row';
import type { Project } from '../projects/project.model';
import { unreadCountSql } from '../notifications/unread-count-sql';
import { positional, PositionalStatement, PreparedReads } from '../database/prepared-reads';
import { signature } from './session-cookie';

export interface SignedInPageContext {
  sid: string;
  session: SessionData;
  user: User;
  unreadCount: number;
}

export interface ProjectPageContext extends SignedInPageContext {
  project: Project;
}

type Row = SignedInRow & Partial<ProjectAccessRow> & { unreadCount: number | string };

/**
 * Everything a page needs to know before it renders, in ONE statement: the session of the
 * cookie (unexpired), its user (active, of the session's generation), their unread count and,
 * under a project, the project with the person's access to it (read fresh: a removed member is
 * refused on the next request). Each part is its owner's SQL and rule (accounts, projects,
 * notifications); this only joins them. Null whenever anything is not plainly fine: the regular
 * pipeline then answers, with its redirects, 404s and session clean-up.
 */
export class SignedInContext {
  private readonly statement: PositionalStatement;
  private readonly projectStatement: PositionalStatement;

  constructor(
    private readonly reads: PreparedReads,
    private readonly sessionSecret: string,
    private readonly absoluteLifetimeMs: number,
  ) {
    const person = signedInSql();
    const project = projectAccessSql();
    const select = `${person.select}, ${unreadCountSql('u.id')} AS "unreadCount"`;
    this.statement = positional('hot-paths-signed-in', `SELECT ${select} FROM ${person.from} WHERE ${person.where}`);
    this.projectStatement = positional(
      'hot-paths-signed-in-project',
      `SELECT ${select}, ${project.select} FROM ${person.from} ${project.join} WHERE ${person.where}`,
    );
  }

  async forPage(cookieValue: string): Promise<SignedInPageContext | null> {
    const found = await this.load(cookieValue, this.statement, {});
    return found && found.context;
  }

  async forProject(cookieValue: string, projectId: string): Promise<ProjectPageContext | null> {
    const found = await this.load(cookieValue, this.projectStatement, { projectId });
    const project = found && accessibleProjectOf(found.row as ProjectAccessRow);
    return found && project ? { ...found.context, project } : null;
  }

  private async load(cookieValue: string, statement: PositionalStatement, replacements: Record<string, string>) {
    const sid = signature.unsign(cookieValue, this.sessionSecret);
    if (!sid) return null;
    const now = new Date();
    const [row] = await this.reads.rows<Row>(statement, { ...replacements, sid, now });
    const signedIn = row && signedInFromRow(row, this.absoluteLifetimeMs, now.getTime());
    if (!signedIn) return null;
    return { row, context: { sid, ...signedIn, unreadCount: Number(row.unreadCount) } };
  }
}
