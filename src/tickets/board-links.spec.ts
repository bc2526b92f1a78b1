import { listUrl, pager } from './board-links';

describe('list view links', () => {
  const id = 'p1';

  it('puts every filter in the URL and leaves defaults out', () => {
    expect(listUrl(id, {})).toBe('/projects/p1?view=list');
    expect(listUrl(id, { status: 'OPEN', priority: 'HIGH', q: 'a b&c', sort: 'oldest', page: 3 })).toBe(
      '/projects/p1?view=list&status=OPEN&priority=HIGH&q=a+b%26c&sort=oldest&page=3',
    );
    expect(listUrl(id, { sort: 'newest', page: 1 })).toBe('/projects/p1?view=list');
  });

  it('pages around the current page, keeping the filters', () => {
    const links = pager(id, { status: 'DONE', page: 2 }, 5);
    expect(links.show).toBe(true);
    expect(links.previousUrl).toBe('/projects/p1?view=list&status=DONE');
    expect(links.nextUrl).toBe('/projects/p1?view=list&status=DONE&page=3');
    expect(links.pages.map((p) => p.page)).toEqual([1, 2, 3, 4]);
    expect(links.pages.find((p) => p.current)?.page).toBe(2);
  });

  it('has no pager for a single page', () => {
    const links = pager(id, {}, 1);
    expect(links.show).toBe(false);
    expect(links.previousUrl).toBeNull();
    expect(links.nextUrl).toBeNull();
  });
});
