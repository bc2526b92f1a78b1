import { Global, Injectable, Module } from '@nestjs/common';
import { DONE_STATUS } from '../common/board-contract';
import { AssignedPage, AssignedTicket, AssignedTickets } from '../projects/assigned-tickets';

type AssignedRow = Omit<AssignedTicket, 'projectName' | 'updatedAt' | 'number'> & {
  number: number | string;
  updatedAt: Date | string;
  total: number | string;
  project: { name: string };
};

const ASSIGNED_COLUMNS = [
  'id',
  'projectId',
  'project.name',
  'number',
  'title',
  'status',
  'priority',
  'updatedAt',
  'total',
];

/** The page of a person's open tickets in the projects `visibleProjects` selects (all when null). */
function openAssignedSql(visibleProjects: string | null): string {
  return `SELECT t.id, t.project_id AS "projectId", p.name AS "project.name", t.number, t.title, t.status,
      t.priority, t.updated_at AS "updatedAt", COUNT(*) OVER () AS total,
      ROW_NUMBER() OVER (ORDER BY t.updated_at DESC, t.id DESC) AS position
    FROM tickets t JOIN projects p ON p.id = t.project_id
    WHERE t.assignee_id = :userId AND t.status <> '${DONE_STATUS}'
      ${visibleProjects ? `AND t.project_id IN (${visibleProjects})` : ''}
    ORDER BY t.updated_at DESC, t.id DESC LIMIT :assignedLimit OFFSET :assignedOffset`;
}

/** On the index tickets_assignee_updated: the page, each row carrying the total (a window count). */
@Injectable()
class OpenAssignments extends AssignedTickets {
  openSql(visibleProjects: string | null): { sql: string; columns: string[] } {
    return { sql: openAssignedSql(visibleProjects), columns: ASSIGNED_COLUMNS };
  }

  pageOf(rows: AssignedRow[]): AssignedPage {
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
        // PostgreSQL gives a Date (JSON: its text), SQLite the stored text.
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
