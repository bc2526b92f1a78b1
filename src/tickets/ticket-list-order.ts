import { literal, Op, WhereOptions } from 'sequelize';
import { TICKET_PRIORITIES } from '../common/board-contract';
import type { TicketSort } from './dto/ticket-list-query.dto';

export type ListSort = TicketSort;
type Direction = 'ASC' | 'DESC';
export type OrderKey = [string | ReturnType<typeof literal>, Direction];

/** A priority's place when sorting by priority: 0 for the highest. */
export const PRIORITY_RANK = `CASE "Ticket"."priority" ${[...TICKET_PRIORITIES]
  .reverse()
  .map((priority, rank) => `WHEN '${priority}' THEN ${rank}`)
  .join(' ')} END`;

/**
 * The list's order, a total one (the number last) so that a page read backwards from the end,
 * or sought from a neighbouring row, holds the same tickets as when counted from the start.
 */
export function listOrder(sort: ListSort, searchOrder: OrderKey[]): OrderKey[] {
  if (sort === 'oldest') return [['number', 'ASC']];
  if (sort === 'priority')
    return [
      [literal(PRIORITY_RANK), 'ASC'],
      ['number', 'DESC'],
    ];
  if (sort === 'relevance') return [...searchOrder, ['number', 'DESC']];
  return [['number', 'DESC']];
}

export const flip = (direction: Direction): Direction => (direction === 'ASC' ? 'DESC' : 'ASC');

/**
 * Where a keyset page starts: the number of the ticket next to it, and for the priority order
 * that ticket's priority rank too ("2-815"), so that the cursor holds even if that ticket has
 * been edited or deleted meanwhile.
 */
export interface ListCursor {
  rank?: number;
  number: number;
}

export const LIST_CURSOR = /^(?:([0-3])-)?(\d{1,9})$/;

export function parseCursor(text: string): ListCursor {
  const [, rank, number] = LIST_CURSOR.exec(text) ?? [];
  return { rank: rank === undefined ? undefined : Number(rank), number: Number(number ?? 0) };
}

export function cursorOfTicket(sort: ListSort, ticket: { number: number; priority: string }): string {
  if (sort !== 'priority') return String(ticket.number);
  const rank = TICKET_PRIORITIES.length - 1 - TICKET_PRIORITIES.indexOf(ticket.priority as never);
  return `${rank}-${ticket.number}`;
}

/** The tickets after the cursor in the sort's order, or before it (`backwards`). */
export function beyond(sort: ListSort, cursor: ListCursor, backwards: boolean): WhereOptions {
  const ascending = (sort === 'oldest') !== backwards;
  const number = { number: { [ascending ? Op.gt : Op.lt]: cursor.number } };
  if (sort !== 'priority') return number;
  // Ranks ascend and numbers descend in the priority order; both integers, checked by LIST_CURSOR.
  const rank = cursor.rank ?? 0;
  const [rankBeyond, numberBeyond] = backwards ? ['<', '>'] : ['>', '<'];
  return literal(
    `(${PRIORITY_RANK} ${rankBeyond} ${rank} OR (${PRIORITY_RANK} = ${rank} AND "Ticket"."number" ${numberBeyond} ${cursor.number}))`,
  );
}
