import { formatInboxCursor, parseInboxCursor } from './inbox-cursor';

describe('inbox cursor', () => {
  const id = '0b5c2f4e-7d1a-4c3b-9e8f-1a2b3c4d5e6f';

  it('reads back what it writes', () => {
    const at = new Date(1_790_000_000_123);
    expect(parseInboxCursor(formatInboxCursor(at, id))).toEqual({ at, sameTime: { idBelow: id } });
  });

  it.each([
    '',
    'x',
    `abc-${id}`,
    '12-not-an-id',
    `12-${id}x`,
    `-1-${id}`,
    `9999999999999999-${id}`,
    `12-${id.toUpperCase()}`,
  ])('refuses %j', (text) => expect(parseInboxCursor(text)).toBeNull());
});
