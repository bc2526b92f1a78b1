import { avatarColor, formatUtc, initials, relativeTime } from './view-helpers';

describe('view helpers', () => {
  it('takes initials from names and emails', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('grace.hopper@example.com')).toBe('GH');
    expect(initials('linus@example.com')).toBe('LI');
    // Quotes, brackets and other punctuation are not initials.
    expect(initials('Robert "Bob" Builder')).toBe('RB');
    expect(initials('(Ops) team')).toBe('OT');
    expect(initials('Ægir Þórsson')).toBe('ÆÞ');
    expect(initials('"!"')).toBe('?');
  });

  it('derives a stable colour from an id', () => {
    expect(avatarColor('abc')).toBe(avatarColor('abc'));
    expect(avatarColor('abc')).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('says how long ago something happened', () => {
    const now = new Date('2026-01-10T12:00:00Z');
    expect(relativeTime(new Date('2026-01-10T11:59:50Z'), now)).toBe('just now');
    expect(relativeTime(new Date('2026-01-10T11:55:00Z'), now)).toBe('5 minutes ago');
    expect(relativeTime(new Date('2026-01-08T12:00:00Z'), now)).toBe('2 days ago');
  });

  it('writes dates in UTC exactly as Intl en-GB medium date, short time does', () => {
    const intl = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
    for (let month = 0; month < 12; month++) {
      for (const [day, hour, minute] of [[1, 0, 0], [9, 9, 5], [28, 23, 59]]) {
        const date = new Date(Date.UTC(2026, month, day, hour, minute, 42));
        expect(formatUtc(date)).toBe(`${intl.format(date)} UTC`);
      }
    }
    expect(formatUtc('2026-11-25T14:49:42.500Z')).toBe('25 Nov 2026, 14:49 UTC');
    expect(formatUtc(null)).toBe('');
  });
});
