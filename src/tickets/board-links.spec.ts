import { listUrl, pager, sortOptions } from './board-links';

describe('list view links', () => {
  const id = 'p1';

  it('puts every filter in the URL and leaves defaults out', () => {
    expect(listUrl(id, {})).toBe('/projects/p1?view=list');
    expect(listUrl(id, { status: 'OPEN', priority: 'HIGH', q: 'a b&c', sort: 'oldest', page: 3 })).toBe(
      '/projects/p1?view=list&status=OPEN&priority=HIGH&q=a+b%26c&sort=oldest&page=3',
    );
    expect(listUrl(id, { sort: 'newest', page: 1 })).toBe('/projects/p1?view=list');
    // A search's default is the best match first: newest must then be spelt out.
    expect(listUrl(id, { q: 'x', sort: 'relevance' })).toBe('/projects/p1?view=list&q=x');
    expect(listUrl(id, { q: 'x', sort: 'newest' })).toBe('/projects/p1?view=list&q=x&sort=newest');
    expect(listUrl(id, { page: 'last' })).toBe('/projects/p1?view=list&page=last');
    expect(listUrl(id, { page: 4, after: '2-17' })).toBe('/projects/p1?view=list&page=4&after=2-17');
  });

  it('links Previous and Next by cursor, numbered pages around the current one, first and last', () => {
    const links = pager(
      id,
      { status: 'DONE', page: 2 },
      { page: 2, pageCount: 5, next: { page: 3, after: '90' }, previous: { page: 1 } },
    );
    expect(links.show).toBe(true);
    expect(links.previousUrl).toBe('/projects/p1?view=list&status=DONE');
    expect(links.nextUrl).toBe('/projects/p1?view=list&status=DONE&page=3&after=90');
    expect(links.firstUrl).toBe('/projects/p1?view=list&status=DONE');
    expect(links.lastUrl).toBe('/projects/p1?view=list&status=DONE&page=5');
    expect(links.pages.map((p) => p.page)).toEqual([1, 2, 3, 4]);
    expect(links.pages.find((p) => p.current)?.page).toBe(2);
  });

  it('offers numbered pages only within 1,000 tickets of either end, and "last" for an uncounted list', () => {
    const middle = pager(
      id,
      { page: 2000 },
      { page: 2000, pageCount: 4000, next: { page: 2001, after: '1' }, previous: null },
    );
    expect(middle.pages.map((p) => p.page)).toEqual([2000]);
    const nearEnd = pager(id, { page: 3990 }, { page: 3990, pageCount: 4000, next: null, previous: null });
    expect(nearEnd.pages.map((p) => p.page)).toEqual([3988, 3989, 3990, 3991, 3992]);
    const uncounted = pager(
      id,
      { page: 3 },
      { page: 3, pageCount: null, next: { page: 4, after: '7' }, previous: null },
    );
    expect(uncounted.pages).toEqual([]);
    expect(uncounted.lastUrl).toBe('/projects/p1?view=list&page=last');
    const last = pager(
      id,
      { page: 'last' },
      { page: null, pageCount: null, next: null, previous: { page: null, before: '5' } },
    );
    expect(last.lastUrl).toBeNull();
    expect(last.previousUrl).toBe('/projects/p1?view=list&before=5');
  });

  it('has no pager for a single page', () => {
    const links = pager(id, {}, { page: 1, pageCount: 1, next: null, previous: null });
    expect(links.show).toBe(false);
    expect(links.previousUrl).toBeNull();
    expect(links.nextUrl).toBeNull();
  });

  it('sends the default sort blank, so that a new search sorts by relevance', () => {
    expect(sortOptions(undefined, false).map((o) => [o.value, o.selected])).toEqual([
      ['', true],
      ['oldest', false],
      ['priority', false],
    ]);
    expect(sortOptions(undefined, true).find((o) => o.selected)?.label).toBe('Best match first');
    expect(sortOptions('newest', true).find((o) => o.selected)?.value).toBe('newest');
  });
});
