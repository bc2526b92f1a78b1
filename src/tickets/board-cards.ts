import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { CARD_PEOPLE, CARD_TICKET_COLUMNS, CardRole, TicketPriority, TicketStatus } from '../common/board-contract';

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

export interface CardPerson {
  id: string;
  email: string;
  name: string;
  avatar: string | null;
}

/** What a board card shows (never the possibly long description): exactly the contract's fields. */
export type BoardCard = { [K in keyof typeof CARD_TICKET_COLUMNS]: TicketFields[K] } & {
  reporter: CardPerson | null;
  /** null: unassigned. */
  assignee: CardPerson | null;
};

/** A run of one column to load: its newest tickets, or those older than ticket number `before`. */
export interface ColumnSlice {
  status: TicketStatus;
  before?: number;
}

/** Which cards: a project's, or only those of one assignee (`null`: the unassigned ones). */
export interface CardScope {
  projectId: string;
  assigneeId?: string | null;
}

/** A row as the query returns it: the people flattened (`reporterName`, `assigneeAvatar`), and a date SQLite leaves as text. */
export type CardRow = Omit<BoardCard, 'createdAt' | 'reporter' | 'assignee'> & {
  createdAt: Date | string;
} & Record<string, unknown>;

/** The SQL alias of each person's users row. */
const PERSON_ALIAS: Record<CardRole, string> = { reporter: 'r', assignee: 'a' };

const personAlias = (role: CardRole, name: string) => `${role}${name.charAt(0).toUpperCase()}${name.slice(1)}`;

/** The card query's columns, from the contract: `t.` tickets, `r.` the reporter, `a.` the assignee. */
const CARD_FIELDS: [expression: string, alias: string][] = [
  ...Object.entries(CARD_TICKET_COLUMNS).map(([name, column]): [string, string] => [`t.${column}`, name]),
  ...(Object.entries(CARD_PEOPLE) as [CardRole, (typeof CARD_PEOPLE)[CardRole]][]).flatMap(([role, person]) => [
    [`${PERSON_ALIAS[role]}.${person.key}`, personAlias(role, 'id')] as [string, string],
    ...Object.entries(person.columns).map(([name, column]): [string, string] => [
      `${PERSON_ALIAS[role]}.${column}`,
      personAlias(role, name),
    ]),
  ]),
];
export const CARD_SELECT = CARD_FIELDS.map(([expression, alias]) => `${expression} AS "${alias}"`).join(', ');
/** The aliases of CARD_SELECT. */
export const CARD_COLUMNS = CARD_FIELDS.map(([, alias]) => alias);
export const CARD_JOIN = (Object.entries(CARD_PEOPLE) as [CardRole, (typeof CARD_PEOPLE)[CardRole]][])
  .map(
    ([role, person]) =>
      `LEFT JOIN users ${PERSON_ALIAS[role]} ON ${PERSON_ALIAS[role]}.${person.key} = t.${person.joinedBy}`,
  )
  .join(' ');

/**
 * Up to `limit` tickets of each slice with their reporters and assignees, newest first, in ONE
 * statement: a UNION ALL of one index scan per column (tickets_project_status_number, or
 * tickets_project_assignee_status_number for one assignee's cards), valid on PostgreSQL and
 * SQLite. A board is four slices; going through the ORM would cost four statements and building
 * two hundred nested rows.
 */
export async function loadBoardCards(
  sequelize: Sequelize,
  scope: CardScope,
  slices: ColumnSlice[],
  limit: number,
): Promise<Map<TicketStatus, BoardCard[]>> {
  const replacements: Record<string, string | number> = { projectId: scope.projectId, limit };
  let assignee = '';
  if (scope.assigneeId === null) assignee = ' AND t.assignee_id IS NULL';
  else if (scope.assigneeId !== undefined) {
    assignee = ' AND t.assignee_id = :assigneeId';
    replacements.assigneeId = scope.assigneeId;
  }
  const selects = slices.map((slice, i) => {
    replacements[`status${i}`] = slice.status;
    if (slice.before !== undefined) replacements[`before${i}`] = slice.before;
    return `SELECT * FROM (
      SELECT ${CARD_SELECT} FROM tickets t ${CARD_JOIN}
       WHERE t.project_id = :projectId${assignee} AND t.status = :status${i}${slice.before !== undefined ? ` AND t.number < :before${i}` : ''}
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

export function toCard(row: CardRow): BoardCard {
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
    reporter: personOf(row, 'reporter'),
    assignee: personOf(row, 'assignee'),
  };
}

function personOf(row: CardRow, role: CardRole): CardPerson | null {
  const id = row[personAlias(role, 'id')] as string | null;
  if (!id) return null;
  return {
    id,
    email: row[personAlias(role, 'email')] as string,
    name: row[personAlias(role, 'name')] as string,
    avatar: row[personAlias(role, 'avatar')] as string | null,
  };
}
