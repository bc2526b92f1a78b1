import type { PersonRow } from '../accounts/accounts.service';
import { HISTORY_COLUMNS, HistoryRow, historyRow } from '../activity/activity.service';
import type { PreparedReads } from '../database/prepared-reads';
import { BoardCard, CARD_COLUMNS, CARD_JOIN, CARD_SELECT, CardRow, toCard } from './board-cards';

/** What the details modal reads of a ticket: a card's fields and people, and the rest of the ticket. */
export interface DetailsTicket extends BoardCard {
  projectId: string;
  description: string;
  updatedAt: Date;
  reporterId: string;
  assigneeId: string | null;
}

export type DetailsRow = CardRow & {
  projectId: string;
  description: string;
  updatedAt: Date | string;
  ticketReporterId: string;
  ticketAssigneeId: string | null;
  peopleJson: unknown;
  peopleVersion: number | string;
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

/** The details as SQL (one row or none) with its column aliases, to run alone or fold into a larger statement. */
export interface DetailsSql {
  sql: string;
  columns: string[];
}

/**
 * The details' SQL: the project's ticket `:ticketId` with its reporter and assignee, and folded
 * in as JSON (a round trip each less on the page opened most after the board) the people with
 * access (`peopleSelect`: MembershipsService.peopleWithAccessFoldSql, columns `peopleJson` and
 * `peopleVersion`) and the history's first page (`historySql`, on `:ticketId` and `:limit`), each
 * written by its owner. Numbered by `position` (always 1) for PreparedReads.jsonRows.
 */
export function detailsSql(reads: PreparedReads, peopleSelect: string, historySql: string): DetailsSql {
  return {
    sql: `SELECT ${CARD_SELECT}, t.project_id AS "projectId", t.description AS "description",
    t.updated_at AS "updatedAt", t.reporter_id AS "ticketReporterId", t.assignee_id AS "ticketAssigneeId",
    ${peopleSelect}, ${reads.jsonRows(historySql, HISTORY_COLUMNS)} AS "historyJson", 1 AS position
    FROM tickets t ${CARD_JOIN} WHERE t.id = :ticketId AND t.project_id = :projectId`,
    columns: [
      ...CARD_COLUMNS,
      'projectId',
      'description',
      'updatedAt',
      'ticketReporterId',
      'ticketAssigneeId',
      'peopleJson',
      'peopleVersion',
      'historyJson',
    ],
  };
}

/** The details of a detailsSql row (read alone, or from a folded statement's JSON), with the people it says. */
export function detailsOf(reads: PreparedReads, row: DetailsRow, people: PersonRow[]): DetailsRead {
  return {
    ticket: {
      ...toCard(row),
      projectId: row.projectId,
      description: row.description,
      updatedAt: row.updatedAt instanceof Date ? row.updatedAt : new Date(row.updatedAt),
      reporterId: row.ticketReporterId,
      assigneeId: row.ticketAssigneeId,
    },
    people,
    history: reads.listOf<Parameters<typeof historyRow>[0]>(row.historyJson).map(historyRow),
  };
}
