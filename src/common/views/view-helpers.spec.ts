import { avatarColor, initials, relativeTime } from './view-helpers';

describe('view helpers', () => {
  it('takes initials from names and emails', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('grace.hopper@example.com')).toBe('GH');
    expect(initials('linus@example.com')).toBe('LI');
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
});
