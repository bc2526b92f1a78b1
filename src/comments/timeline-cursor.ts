/**
 * Where a page of the timeline ends. The timeline is ordered by (time, rank, id), newest first:
 * rank 0 for history entries, 1 for comments, so that entries of the same millisecond keep one
 * order across both tables. Written in URLs as `<epoch ms>-<rank>-<id>`.
 */
export interface TimelineCursor {
  at: Date;
  rank: 0 | 1;
  id: string;
}

export const HISTORY_RANK = 0 as const;
export const COMMENT_RANK = 1 as const;

const CURSOR = /^(\d{1,15})-([01])-(\d{1,12}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function formatCursor(cursor: TimelineCursor): string {
  return `${cursor.at.getTime()}-${cursor.rank}-${cursor.id}`;
}

/** The cursor in `text`, or null when it is not one (a hand-edited URL). */
export function parseCursor(text: string): TimelineCursor | null {
  const match = CURSOR.exec(text);
  if (!match) return null;
  const rank = Number(match[2]) as 0 | 1;
  const id = match[3];
  // History ids are numbers, comment ids UUIDs.
  if ((rank === HISTORY_RANK) !== /^\d+$/.test(id)) return null;
  return { at: new Date(Number(match[1])), rank, id };
}

/** Newest first, as the timeline pages through its entries. */
export function compareNewestFirst(a: TimelineCursor, b: TimelineCursor): number {
  return (
    b.at.getTime() - a.at.getTime() ||
    b.rank - a.rank ||
    (a.rank === HISTORY_RANK ? Number(b.id) - Number(a.id) : b.id < a.id ? -1 : b.id > a.id ? 1 : 0)
  );
}
