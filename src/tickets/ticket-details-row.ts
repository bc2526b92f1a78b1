import { PERSON_COLUMNS, PersonRow, personRow } from '../accounts/accounts.service';
import { HISTORY_COLUMNS, HistoryRow, historyRow } from '../activity/activity.service';
import { positional, PositionalStatement, PreparedReads } from '../database/prepared-reads';
import { BoardCard, CARD_JOIN, CARD_SELECT, CardRow, toCard } from './board-cards';

/** What the details modal reads of a ticket: a card's fields and people, and the rest of the ticket. */
export interface DetailsTicket extends BoardCard {
  projectId: string;
  description: string;
  updatedAt: Date;
  reporterId: string;
  assigneeId: string | null;
}

type DetailsRow = CardRow & {
  projectId: string;
  description: string;
  updatedAt: Date | string;
  reporterId: string;
  assigneeId: string | null;
  peopleJson: unknown;
  historyJson: unknown;
};

/** A ticket's details and what the modal lists beside them, read in one statement. */
export interface DetailsRead {
  ticket: DetailsTicket;
  /** The people with access to the project (MembershipsService.peopleWithAccess). */
  people: PersonRow[];
  /** The first page of the ticket's history (ActivityService.newest without a cursor). */
  history: HistoryRow[];
}

/**
 * The details statement: the project's ticket `:ticketId` with its reporter and assignee, and
 * folded in as JSON (a round trip each less on the page opened most after the board) the people
 * with access (`peopleSql`, on `:projectId`) and the history's first page (`historySql`, on
 * `:ticketId` and `:limit`), each written by its owner.
 */
export function detailsStatement(
  reads: PreparedReads,
  name: string,
  peopleSql: string,
  historySql: string,
): PositionalStatement {
  return positional(
    name,
    `SELECT ${CARD_SELECT}, t.project_id AS "projectId", t.description AS "description",
    t.updated_at AS "updatedAt", t.reporter_id AS "reporterId", t.assignee_id AS "assigneeId",
    ${reads.jsonRows(peopleSql, [...PERSON_COLUMNS])} AS "peopleJson",
    ${reads.jsonRows(historySql, HISTORY_COLUMNS)} AS "historyJson"
    FROM tickets t ${CARD_JOIN} WHERE t.id = :ticketId AND t.project_id = :projectId`,
  );
}

/**
 * The project's ticket `ticketId` and its lists, as plain rows: one prepared statement, no model
 * instances. The caller checks that `ticketId` is a UUID. Null when the project has no such ticket.
 */
export async function loadTicketDetails(
  reads: PreparedReads,
  statement: PositionalStatement,
  values: { projectId: string; ticketId: string; limit: number },
): Promise<DetailsRead | null> {
  const [row] = await reads.rows<DetailsRow>(statement, values);
  if (!row) return null;
  return {
    ticket: {
      ...toCard(row),
      projectId: row.projectId,
      description: row.description,
      updatedAt: row.updatedAt instanceof Date ? row.updatedAt : new Date(row.updatedAt),
      reporterId: row.reporterId,
      assigneeId: row.assigneeId,
    },
    people: reads.listOf<Parameters<typeof personRow>[0]>(row.peopleJson).map(personRow),
    history: reads.listOf<Parameters<typeof historyRow>[0]>(row.historyJson).map(historyRow),
  };
}
