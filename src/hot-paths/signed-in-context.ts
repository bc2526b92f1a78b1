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

/**
 * A page's own read, to run in the same statement as the context: SQL on the context's
 * placeholders (`:projectId`), `values`' and the signed-in person's users row `u` (one row or
 * none, numbered by `position`), its column aliases, and a name for its prepared statement. Read
 * whatever the person's access: the page uses it only when the context says they have it.
 */
export interface FoldedRead {
  name: string;
  sql: string;
  columns: string[];
  values: Record<string, unknown>;
  /**
   * A condition on the same placeholders under which the page keeps a current copy of what the
   * read gives: then it is not read, and the page gets KEPT instead of its row.
   */
  keptWhen?: string;
}

/** What a folded read gives when its `keptWhen` held: the page's own copy is current. */
export const KEPT = Symbol('kept');

type Row = SignedInRow & Partial<ProjectAccessRow> & { unreadCount: number | string; foldedJson?: unknown };

/**
 * Everything a page needs to know before it renders, in ONE statement: the session of the
 * cookie (unexpired), its user (active, of the session's generation), their unread count and,
 * under a project, the project with the person's access to it (read fresh: a removed member is
 * refused on the next request). Each part is its owner's SQL and rule (accounts, projects,
 * notifications); this only joins them. Null whenever anything is not plainly fine: the regular
 * pipeline then answers, with its redirects, 404s and session clean-up.
 */
export class SignedInContext {
  private readonly projectStatement: PositionalStatement;
  private readonly foldedStatements = new Map<string, PositionalStatement>();

  constructor(
    private readonly reads: PreparedReads,
    private readonly sessionSecret: string,
    private readonly absoluteLifetimeMs: number,
  ) {
    this.projectStatement = positional('hot-paths-signed-in-project', this.contextSql(true));
  }

  private contextSql(underProject: boolean, folded?: FoldedRead): string {
    const person = signedInSql();
    const project = projectAccessSql();
    const select = [
      person.select,
      `${unreadCountSql('u.id')} AS "unreadCount"`,
      ...(underProject ? [project.select] : []),
      ...(folded ? [`${this.foldedSelect(folded)} AS "foldedJson"`] : []),
    ];
    return `SELECT ${select.join(', ')} FROM ${person.from} ${underProject ? project.join : ''} WHERE ${person.where}`;
  }

  /** The folded read's rows as JSON (never null), or null when `keptWhen` holds. */
  private foldedSelect(folded: FoldedRead): string {
    const rows = this.reads.jsonRows(folded.sql, folded.columns);
    return folded.keptWhen ? `CASE WHEN ${folded.keptWhen} THEN NULL ELSE ${rows} END` : rows;
  }

  async forProject(cookieValue: string, projectId: string): Promise<ProjectPageContext | null> {
    const found = await this.load(cookieValue, this.projectStatement, { projectId });
    const project = found && accessibleProjectOf(found.row as ProjectAccessRow);
    return found && project ? { ...found.context, project } : null;
  }

  /** The signed-in context and the page's own read (`folded`'s row, null when it has none) in one statement. */
  async forPageWith<T>(
    cookieValue: string,
    folded: FoldedRead,
  ): Promise<(SignedInPageContext & { folded: T | null }) | null> {
    const found = await this.load(cookieValue, this.foldedStatement(false, folded), folded.values);
    return found && { ...found.context, folded: this.foldedRow<T>(found.row) };
  }

  /**
   * forProject and the page's own read in one statement: `folded`'s row, null when it has none,
   * KEPT when its `keptWhen` held.
   */
  async forProjectWith<T>(
    cookieValue: string,
    projectId: string,
    folded: FoldedRead,
  ): Promise<(ProjectPageContext & { folded: T | typeof KEPT | null }) | null> {
    const found = await this.load(cookieValue, this.foldedStatement(true, folded), { ...folded.values, projectId });
    const project = found && accessibleProjectOf(found.row as ProjectAccessRow);
    if (!found || !project) return null;
    return {
      ...found.context,
      project,
      folded: folded.keptWhen && found.row.foldedJson === null ? KEPT : this.foldedRow<T>(found.row),
    };
  }

  private foldedStatement(underProject: boolean, folded: FoldedRead): PositionalStatement {
    const name = `hot-paths-signed-in${underProject ? '-project' : ''}-${folded.name}`;
    let statement = this.foldedStatements.get(name);
    if (!statement)
      this.foldedStatements.set(name, (statement = positional(name, this.contextSql(underProject, folded))));
    return statement;
  }

  private foldedRow<T>(row: Row): T | null {
    const [folded] = this.reads.listOf<T>(row.foldedJson);
    return folded ?? null;
  }

  private async load(cookieValue: string, statement: PositionalStatement, replacements: Record<string, unknown>) {
    const sid = signature.unsign(cookieValue, this.sessionSecret);
    if (!sid) return null;
    const now = new Date();
    const [row] = await this.reads.rows<Row>(statement, { ...replacements, sid, now });
    const signedIn = row && signedInFromRow(row, this.absoluteLifetimeMs, now.getTime());
    if (!signedIn) return null;
    return { row, context: { sid, ...signedIn, unreadCount: Number(row.unreadCount) } };
  }
}
