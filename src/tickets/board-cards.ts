import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { CARD_REPORTER, CARD_TICKET_COLUMNS, TicketPriority, TicketStatus } from '../common/board-contract';

/** The types of the ticket fields a card may show (board-contract.ts says which it shows). */
interface TicketFields {
  id: string;
  number: number;
  title: string;
  status: TicketStatus;
  priority: TicketPriority;
  version: number;
  createdAt: Date;
  commentCount: number;
}

/** What a board card shows (never the possibly long description): exactly the contract's fields. */
export type BoardCard = { [K in keyof typeof CARD_TICKET_COLUMNS]: TicketFields[K] } & {
  reporter: { id: string; email: string; name: string; avatar: string | null } | null;
};

/** A run of one column to load: its newest tickets, or those older than ticket number `before`. */
export interface ColumnSlice {
  status: TicketStatus;
  before?: number;
}

/** A row as the query returns it: the reporter flattened, and a date SQLite leaves as text. */
type CardRow = Omit<BoardCard, 'createdAt' | 'reporter'> & {
  createdAt: Date | string;
  reporterId: string | null;
  reporterEmail: string;
  reporterName: string;
  reporterAvatar: string | null;
};

const reporterAlias = (name: string) => `reporter${name.charAt(0).toUpperCase()}${name.slice(1)}`;

/** The card query's columns, from the contract: `t.` tickets, `u.` the reporter. */
export const CARD_SELECT = [
  ...Object.entries(CARD_TICKET_COLUMNS).map(([name, column]) => `t.${column} AS "${name}"`),
  `u.${CARD_REPORTER.key} AS "${reporterAlias('id')}"`,
  ...Object.entries(CARD_REPORTER.columns).map(([name, column]) => `u.${column} AS "${reporterAlias(name)}"`),
].join(', ');
const CARD_JOIN = `LEFT JOIN users u ON u.${CARD_REPORTER.key} = t.${CARD_REPORTER.joinedBy}`;

/**
 * Up to `limit` tickets of each slice with their reporters, newest first, in ONE statement: a
 * UNION ALL of one index scan per column (tickets_project_status_number), valid on PostgreSQL and
 * SQLite. A board is four slices; going through the ORM would cost four statements and building
 * two hundred nested rows.
 */
export async function loadBoardCards(
  sequelize: Sequelize,
  projectId: string,
  slices: ColumnSlice[],
  limit: number,
): Promise<Map<TicketStatus, BoardCard[]>> {
  const replacements: Record<string, string | number> = { projectId, limit };
  const selects = slices.map((slice, i) => {
    replacements[`status${i}`] = slice.status;
    if (slice.before !== undefined) replacements[`before${i}`] = slice.before;
    return `SELECT * FROM (
      SELECT ${CARD_SELECT} FROM tickets t ${CARD_JOIN}
       WHERE t.project_id = :projectId AND t.status = :status${i}${slice.before !== undefined ? ` AND t.number < :before${i}` : ''}
       ORDER BY t.number DESC LIMIT :limit) AS column${i}`;
  });
  const rows = await sequelize.query<CardRow>(`${selects.join(' UNION ALL ')} ORDER BY "number" DESC`, {
    replacements,
    type: QueryTypes.SELECT,
  });
  const cards = new Map<TicketStatus, BoardCard[]>(slices.map((slice) => [slice.status, []]));
  for (const row of rows) cards.get(row.status)?.push(toCard(row));
  return cards;
}

function toCard(row: CardRow): BoardCard {
  return {
    id: row.id,
    number: Number(row.number),
    title: row.title,
    status: row.status,
    priority: row.priority,
    version: Number(row.version),
    commentCount: Number(row.commentCount),
    // PostgreSQL gives a Date, SQLite the stored text ("2026-11-25 14:49:42.500 +00:00").
    createdAt: row.createdAt instanceof Date ? row.createdAt : new Date(row.createdAt),
    reporter: row.reporterId
      ? { id: row.reporterId, email: row.reporterEmail, name: row.reporterName, avatar: row.reporterAvatar }
      : null,
  };
}
