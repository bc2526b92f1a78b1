import { compareNewestFirst, formatCursor, parseCursor, TimelineCursor } from './timeline-cursor';

describe('timeline cursors', () => {
  const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';

  it('reads back what it writes, for comments and history entries', () => {
    for (const cursor of [
      { at: new Date(1_733_000_000_123), rank: 1, id: uuid },
      { at: new Date(1_733_000_000_123), rank: 0, id: '42' },
    ] as TimelineCursor[]) {
      expect(parseCursor(formatCursor(cursor))).toEqual(cursor);
    }
  });

  it.each(['', 'yesterday', '1733-1-42', `1733-0-${uuid}`, '1733-2-42', `-1-1-${uuid}`, `1733-1-${uuid}x`])(
    'refuses %p',
    (text) => {
      expect(parseCursor(text)).toBeNull();
    },
  );

  it('orders newest first: by time, then comments before history entries, then by id', () => {
    const at = new Date(1000);
    const cursors: TimelineCursor[] = [
      { at, rank: 0, id: '9' },
      { at: new Date(2000), rank: 0, id: '1' },
      { at, rank: 1, id: 'a' },
      { at, rank: 0, id: '10' },
      { at, rank: 1, id: 'b' },
    ];
    expect(
      [...cursors].sort(compareNewestFirst).map((cursor) => `${cursor.at.getTime()}-${cursor.rank}-${cursor.id}`),
    ).toEqual(['2000-0-1', '1000-1-b', '1000-1-a', '1000-0-10', '1000-0-9']);
  });
});
