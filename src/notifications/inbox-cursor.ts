import type { NewestFirstCursor } from '../common/keyset';

/** Where a page of the inbox ends: after the notification `id` of time `at`. Written `<epoch ms>-<id>` in URLs. */
export type InboxCursor = NewestFirstCursor<string> & { sameTime: { idBelow: string } };

const CURSOR = /^(\d{1,15})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function formatInboxCursor(at: Date, id: string): string {
  return `${at.getTime()}-${id}`;
}

/** The cursor in `text`, or null when it is not one (a hand-edited URL). */
export function parseInboxCursor(text: string): InboxCursor | null {
  const match = CURSOR.exec(text);
  if (!match) return null;
  const at = new Date(Number(match[1]));
  return Number.isNaN(at.getTime()) ? null : { at, sameTime: { idBelow: match[2] } };
}
