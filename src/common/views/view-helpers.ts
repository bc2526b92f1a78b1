import type * as Hbs from 'hbs';
import { appEventType } from '../unpoly/app-events';

const PALETTE = ['#0d6efd', '#6610f2', '#d63384', '#dc3545', '#fd7e14', '#198754', '#20c997', '#0dcaf0', '#6f42c1', '#495057'];

/** Up to two initials (of the first and last words) from a name or an email address; letters and digits only. */
export function initials(nameOrEmail: string): string {
  const base = (nameOrEmail || '').split('@')[0];
  const words = base.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (!words.length) return '?';
  const first = Array.from(words[0]);
  const letters = words.length > 1 ? first[0] + Array.from(words[words.length - 1])[0] : first.slice(0, 2).join('');
  return letters.toUpperCase();
}

/** A stable colour for a person, derived from their id. */
export function avatarColor(id: string): string {
  let hash = 0;
  for (const char of id || '') hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

// Intl formatters are expensive to build: make them once, not once per rendered date.
const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
// Month names as en-GB's medium date style spells them.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];
const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * "25 Nov 2026, 14:49 UTC": what Intl's en-GB medium date and short time give, written out by
 * hand because a board formats hundreds of dates per page and Intl's format() is slow.
 */
export function formatUtc(date: Date | string | null | undefined): string {
  if (!date) return '';
  const d = new Date(date);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${twoDigits(d.getUTCHours())}:${twoDigits(d.getUTCMinutes())} UTC`;
}

export const isoTime = (date: Date | string | null | undefined): string => (date ? new Date(date).toISOString() : '');

/** "3 minutes ago", "2 days ago" ... from a date. */
export function relativeTime(date: Date | string | null | undefined, now = new Date()): string {
  if (!date) return '';
  const seconds = Math.round((now.getTime() - new Date(date).getTime()) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['week', 604_800],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relativePhrase(-Math.round(seconds / size), unit);
  }
  return 'just now';
}

/** RELATIVE.format, kept: its phrases are few ("2 days ago"), and format() costs more than the rest of a date. */
const phrases = new Map<string, string>();
function relativePhrase(value: number, unit: Intl.RelativeTimeFormatUnit): string {
  const key = `${value} ${unit}`;
  let phrase = phrases.get(key);
  if (phrase === undefined) {
    phrase = RELATIVE.format(value, unit);
    if (phrases.size < 10_000) phrases.set(key, phrase);
  }
  return phrase;
}

export function registerViewHelpers(hbs: typeof Hbs): void {
  const helpers: Record<string, (...args: any[]) => unknown> = { // eslint-disable-line @typescript-eslint/no-explicit-any
    eq: (a: unknown, b: unknown) => a === b,
    ne: (a: unknown, b: unknown) => a !== b,
    or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
    and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
    not: (value: unknown) => !value,
    initials: (value: string) => initials(value),
    avatarColor: (id: string) => avatarColor(id),
    relativeTime: (date: Date) => relativeTime(date),
    isoTime,
    formatTime: formatUtc,
    humanize: (value: string) => (value ? value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, ' ') : ''),
    json: (value: unknown) => JSON.stringify(value),
    // {{appEvent "ticketsChanged"}}: an event name from src/common/unpoly/app-events.ts.
    appEvent: (key: string) => appEventType(key),
  };
  for (const [name, helper] of Object.entries(helpers)) hbs.registerHelper(name, helper);
}
