import { TICKET_STATUSES, TicketPriority, TicketStatus } from '../../src/tickets/ticket.model';
import { createUser } from '../helpers/factories';
import { signIn } from '../helpers/http';
import { countQueries } from '../helpers/query-counter';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createProject, createTickets } from './tickets-fixtures';

const numbersIn = (html: string, selector: RegExp) => [...html.matchAll(selector)].map((match) => Number(match[1]));
const cardNumbers = (html: string, status: string) => {
  const start = html.indexOf(`id="cards-${status}"`);
  const end = html.indexOf('</ol>', start);
  return numbersIn(html.slice(start, end), /data-ticket-card[^>]*data-number="(\d+)"/g);
};
const unescape = (href: string) => href.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
const rowNumbers = (html: string) => numbersIn(html, /data-ticket-row data-number="(\d+)"/g);

describe('tickets: board, list, filters and query counts', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function projectWith(count: number, fields?: Parameters<typeof createTickets>[3]) {
    const member = await createUser(t, { name: 'Bo Board' });
    const project = await createProject([member]);
    if (count) await createTickets(project, member, count, fields);
    const c = await signIn(t.http, member.email);
    return { member, project, c };
  }

  it('shows four columns, newest first, with number, title, priority, reporter initials and age', async () => {
    const statuses: TicketStatus[] = ['OPEN', 'IN_PROGRESS', 'OPEN', 'DONE', 'REVIEW', 'OPEN'];
    const { project, c } = await projectWith(6, (i) => ({
      status: statuses[i],
      priority: i === 5 ? 'CRITICAL' : 'LOW',
      title: `Task ${i + 1}`,
    }));
    const board = await c.page(`/projects/${project.id}`);
    expect(board.status).toBe(200);
    expect(board.text).toContain('id="project-header"');
    for (const status of TICKET_STATUSES)
      expect(board.text).toContain(`id="column-${status}" data-drop-status="${status}"`);
    expect(cardNumbers(board.text, 'OPEN')).toEqual([6, 3, 1]);
    expect(cardNumbers(board.text, 'IN_PROGRESS')).toEqual([2]);
    expect(cardNumbers(board.text, 'REVIEW')).toEqual([5]);
    expect(cardNumbers(board.text, 'DONE')).toEqual([4]);
    expect(board.text).toContain('data-count="OPEN">3<');
    expect(board.text).toMatch(/#6<\/span> <span class="ticket-title">Task 6<\/span>/);
    expect(board.text).toContain('data-priority="CRITICAL">Critical<');
    expect(board.text).toContain('avatar-initials');
    expect(board.text).toContain('>BB</span>');
    expect(board.text).toMatch(/<time datetime="[^"]+" title="[^"]+">\d+ (seconds?|minutes?) ago|just now<\/time>/);
    expect(board.text).toContain('data-reload-on="tickets:changed"');
  });

  it('shows at most 50 per column and loads the rest in place, 50 at a time', async () => {
    const { project, c } = await projectWith(120, (i) => ({ status: i % 10 === 0 ? 'DONE' : 'OPEN' }));
    const board = await c.page(`/projects/${project.id}`);
    const open = cardNumbers(board.text, 'OPEN');
    expect(open).toHaveLength(50);
    expect(open[0]).toBe(120);
    const more = /href="([^"]+)" up-target="#more-OPEN, #cards-OPEN:after"/.exec(board.text);
    expect(more).not.toBeNull();
    expect(cardNumbers(board.text, 'DONE')).toHaveLength(12);
    expect(board.text).not.toContain('data-load-more="DONE"');

    const seen = new Set(open);
    let next: string | undefined = unescape(more![1]);
    let pages = 0;
    while (next) {
      const page = await c.page(next);
      expect(page.status).toBe(200);
      const numbers = cardNumbers(page.text, 'OPEN');
      expect(numbers.length).toBeLessThanOrEqual(50);
      for (const n of numbers) {
        expect(seen.has(n)).toBe(false);
        seen.add(n);
      }
      const link = /href="([^"]+)" up-target="#more-OPEN/.exec(page.text)?.[1];
      next = link && unescape(link);
      pages++;
    }
    expect(pages).toBe(2);
    expect(seen.size).toBe(108);
  });

  it('answers 404 for an unknown column and 400 for a bad cursor', async () => {
    const { project, c } = await projectWith(0);
    expect((await c.agent.get(`/projects/${project.id}/columns/LOST`)).status).toBe(404);
    expect((await c.agent.get(`/projects/${project.id}/columns/OPEN?before=abc`)).status).toBe(400);
  });

  it('filters the list by status, priority and text, sorts and pages, all in the URL', async () => {
    const priorities: TicketPriority[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
    const { project, c } = await projectWith(60, (i) => ({
      status: i % 2 ? 'DONE' : 'OPEN',
      priority: priorities[i % 4],
      title: i % 3 === 0 ? `Printer jam ${i + 1}` : `Task ${i + 1}`,
      description: i === 7 ? 'The PRINTER smokes 100% of the time_' : '',
    }));
    const base = `/projects/${project.id}?view=list`;

    const all = await c.page(base);
    expect(all.status).toBe(200);
    expect(all.text).toContain('id="ticket-filters"');
    expect(all.text).toContain('60 tickets');
    expect(rowNumbers(all.text)).toEqual(Array.from({ length: 25 }, (_, i) => 60 - i));
    // Next seeks from the last row shown (keyset); numbered pages and Last jump.
    expect(all.text).toContain(
      `href="/projects/${project.id}?view&#x3D;list&amp;page&#x3D;2&amp;after&#x3D;36" rel="next"`,
    );
    expect(all.text).toContain('Page 1 of 3.');

    const page3 = await c.page(`${base}&page=3`);
    expect(rowNumbers(page3.text)).toEqual(Array.from({ length: 10 }, (_, i) => 10 - i));
    expect((await c.page(`${base}&page=last`)).text).toContain('Page 3 of 3.');
    // A page past the end goes to the last one, its filters kept.
    const past = await c.agent.get(`${base}&page=99&sort=oldest`);
    expect(past.status).toBe(303);
    expect(past.headers.location).toBe(`/projects/${project.id}?view=list&sort=oldest&page=3`);
    const pastCursor = await c.agent.get(`${base}&page=4&after=1`);
    expect(pastCursor.status).toBe(303);
    expect(pastCursor.headers.location).toBe(`/projects/${project.id}?view=list&page=3`);

    // Next and Previous walk every ticket once, in order, whatever the sort.
    for (const sort of ['newest', 'oldest', 'priority'] as const) {
      const ordered: number[] = [];
      let url: string | undefined = `${base}&sort=${sort}`;
      while (url) {
        const page = await c.page(url);
        ordered.push(...rowNumbers(page.text));
        url = /href="([^"]+)" rel="next"/.exec(page.text)?.[1];
        url = url && unescape(url);
      }
      expect(ordered).toHaveLength(60);
      expect(new Set(ordered).size).toBe(60);
      const backwards: number[] = [];
      url = `${base}&sort=${sort}&page=last`;
      while (url) {
        const page = await c.page(url);
        backwards.unshift(...rowNumbers(page.text));
        url = /href="([^"]+)" rel="prev"/.exec(page.text)?.[1];
        url = url && unescape(url);
      }
      expect(backwards).toEqual(ordered);
    }

    const oldest = await c.page(`${base}&sort=oldest`);
    expect(rowNumbers(oldest.text).slice(0, 3)).toEqual([1, 2, 3]);

    const byPriority = rowNumbers((await c.page(`${base}&sort=priority`)).text);
    expect(byPriority.slice(0, 3)).toEqual([60, 56, 52]); // CRITICAL first, newest first within
    const done = rowNumbers((await c.page(`${base}&status=DONE&priority=LOW`)).text);
    expect(done).toEqual([]); // LOW tickets are all OPEN (i % 4 === 0 is even)
    const openLow = rowNumbers((await c.page(`${base}&status=OPEN&priority=LOW`)).text);
    expect(openLow).toEqual([57, 53, 49, 45, 41, 37, 33, 29, 25, 21, 17, 13, 9, 5, 1]);

    // Search finds words (and their beginnings) in the title and the description, case-insensitive,
    // best match first: a match in the title ranks above one in the description.
    const printer = await c.page(`${base}&q=printer`);
    const titled = Array.from({ length: 20 }, (_, i) => 58 - 3 * i);
    expect(rowNumbers(printer.text)).toEqual([...titled, 8]);
    expect(printer.text).toContain('value="printer"');
    expect(printer.text).toMatch(/<option value="" selected>Best match first<\/option>/);
    expect(rowNumbers((await c.page(`${base}&q=PRIN`)).text)).toEqual([...titled, 8]);
    expect(rowNumbers((await c.page(`${base}&q=printer&sort=newest`)).text)).toEqual(
      [...titled, 8].sort((a, b) => b - a),
    );
    expect(rowNumbers((await c.page(`${base}&q=jam%2058`)).text)).toEqual([58]);
    expect(rowNumbers((await c.page(`${base}&q=${encodeURIComponent('100% of the time_')}`)).text)).toEqual([8]);
    // Punctuation alone holds no word: nothing matches.
    expect((await c.page(`${base}&q=%25`)).text).toContain('No tickets match these filters.');
    // A ticket number, with or without its "#", finds that ticket too, first.
    expect(rowNumbers((await c.page(`${base}&q=${encodeURIComponent('#12')}`)).text)).toEqual([12]);
    expect(rowNumbers((await c.page(`${base}&q=${encodeURIComponent(' #8 ')}`)).text)).toEqual([8]);
    const none = await c.page(`${base}&q=nothing-like-this`);
    expect(none.text).toContain('No tickets match these filters.');

    // The filter form's choices reflect the URL.
    const filtered = await c.page(`${base}&status=DONE&sort=priority`);
    expect(filtered.text).toMatch(/<option value="DONE" selected>/);
    expect(filtered.text).toMatch(/<option value="priority" selected>/);
  });

  it('refuses unknown filter values with 400 and a clear message', async () => {
    const { project, c } = await projectWith(0);
    for (const [query, message] of [
      ['status=LOST', 'Unknown status filter.'],
      ['priority=SOON', 'Unknown priority filter.'],
      ['sort=random', 'Unknown sort order'],
      ['page=0', 'The page must be a whole number.'],
      ['page=two', 'The page must be a whole number.'],
      ['page=first', 'The page must be a whole number.'],
      ['after=abc', 'Unknown position in the list.'],
      ['before=4-1', 'Unknown position in the list.'],
      ['view=table', 'Unknown view'],
    ]) {
      const response = await c.agent.get(
        `/projects/${project.id}?view=list&${query}`.replace('view=list&view', 'view'),
      );
      expect(response.status).toBe(400);
      expect(response.text).toContain(message);
    }
  });

  it('renders the board and the list with a fixed number of SQL statements, at 10 and at 1,000 tickets', async () => {
    const spread = (i: number) => ({ status: TICKET_STATUSES[i % 4], priority: (['LOW', 'HIGH'] as const)[i % 2] });
    const small = await projectWith(10, spread);
    // Many reporters, so that a query per reporter would show.
    const large = await projectWith(0);
    const reporters = await Promise.all(Array.from({ length: 5 }, () => createUser(t)));
    for (const [k, reporter] of reporters.entries())
      await createTickets(large.project, reporter, 200, (i) => spread(i + k));

    for (const path of [
      '',
      '?view=list',
      '?view=list&q=ticket&sort=priority&status=OPEN',
      '?view=list&q=ticket',
      '?view=list&q=%237',
      '?view=list&page=last',
      '?view=list&priority=HIGH&page=last',
      '?view=list&page=2&after=5',
      '?view=list&sort=priority&page=2&before=0-9',
    ]) {
      const count = async (setup: typeof small) =>
        (await countQueries(t.sequelize, () => setup.c.agent.get(`/projects/${setup.project.id}${path}`))).count;
      const atTen = await count(small);
      const atThousand = await count(large);
      expect(atThousand).toBe(atTen);
      expect(atTen).toBeLessThanOrEqual(path === '' ? 10 : 7);
    }
    const board = await large.c.page(`/projects/${large.project.id}`);
    for (const status of TICKET_STATUSES) expect(cardNumbers(board.text, status)).toHaveLength(50);
  }, 60_000);
});
