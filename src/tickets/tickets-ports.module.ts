import { Global, Injectable, Module } from '@nestjs/common';
import { DONE_STATUS } from '../common/board-contract';
import { positional, PositionalStatement, PreparedReads } from '../database/prepared-reads';
import { AssignedPage, AssignedTicket, AssignedTickets } from '../projects/assigned-tickets';

type AssignedRow = Omit<AssignedTicket, 'projectName' | 'updatedAt' | 'number'> & {
  number: number | string;
  updatedAt: Date | string;
  total: number | string;
  project: { name: string };
};

/** The page of a person's open tickets in the projects `visibleProjects` selects (all when null). */
function openAssignedSql(visibleProjects: string | null): string {
  return `SELECT t.id, t.project_id AS "projectId", p.name AS "project.name", t.number, t.title, t.status,
      t.priority, t.updated_at AS "updatedAt", COUNT(*) OVER () AS total
    FROM tickets t JOIN projects p ON p.id = t.project_id
    WHERE t.assignee_id = :userId AND t.status <> '${DONE_STATUS}'
      ${visibleProjects ? `AND t.project_id IN (${visibleProjects})` : ''}
    ORDER BY t.updated_at DESC, t.id DESC LIMIT :limit OFFSET :offset`;
}

@Injectable()
class OpenAssignments extends AssignedTickets {
  /** One prepared statement per visibility subquery (a few fixed texts). */
  private readonly statements = new Map<string, PositionalStatement>();

  constructor(private readonly reads: PreparedReads) {
    super();
  }

  /**
   * One prepared statement on the index tickets_assignee_updated: the page, each row carrying
   * the total (a window count). A page past the end, which has no row to carry it, reads the
   * first page's.
   */
  async openFor(
    userId: string,
    visibleProjects: string | null,
    page: { limit: number; offset: number },
  ): Promise<AssignedPage> {
    const key = visibleProjects ?? '';
    let statement = this.statements.get(key);
    if (!statement)
      this.statements.set(
        key,
        (statement = positional(`assigned-open-${this.statements.size}`, openAssignedSql(visibleProjects))),
      );
    const rows = await this.reads.rows<AssignedRow>(statement, { userId, ...page });
    if (!rows.length && page.offset > 0) {
      const { total } = await this.openFor(userId, visibleProjects, { limit: page.limit, offset: 0 });
      return { total, tickets: [] };
    }
    return {
      total: rows.length ? Number(rows[0].total) : 0,
      tickets: rows.map((row) => ({
        id: row.id,
        projectId: row.projectId,
        projectName: row.project.name,
        number: Number(row.number),
        title: row.title,
        status: row.status,
        priority: row.priority,
        // PostgreSQL gives a Date, SQLite the stored text.
        updatedAt: row.updatedAt instanceof Date ? row.updatedAt : new Date(row.updatedAt),
      })),
    };
  }
}

/** What the tickets module answers for the projects module beneath it (global, so projects needs no import). */
@Global()
@Module({
  providers: [{ provide: AssignedTickets, useClass: OpenAssignments }],
  exports: [AssignedTickets],
})
export class TicketsPortsModule {}
