import { QueryTypes } from 'sequelize';
import { createUser } from '../helpers/factories';
import { signIn, submitForm } from '../helpers/http';
import { Ticket } from '../../src/tickets/ticket.model';
import { countQueries, statementsOf } from '../helpers/query-counter';
import { startTestApp, TestApp } from '../helpers/test-app';
import { usesPostgres } from '../helpers/test-config';
import { createProject, createTickets } from './tickets-fixtures';

const rowNumbers = (html: string) =>
  [...html.matchAll(/data-ticket-row data-number="(\d+)"/g)].map((m) => Number(m[1]));
const WORDS = ['database', 'printer', 'login', 'export', 'avatar', 'deadline', 'invoice', 'search', 'mobile', 'backup'];

/** The plan of the statement the app ran, as the database explains it (one line per step). */
async function planOf(t: TestApp, sql: string): Promise<string> {
  const explain = usesPostgres() ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN';
  const rows = await t.sequelize.query<Record<string, unknown>>(`${explain} ${sql.replace(/;\s*$/, '')}`, {
    type: QueryTypes.SELECT,
  });
  return rows.map((row) => String(row['QUERY PLAN'] ?? row.detail)).join('\n');
}

describe('tickets: search by index, deep pages', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('finds words through the index, ranks them, keeps the index in step with every write, and stays in the project', async () => {
    const member = await createUser(t);
    const project = await createProject([member]);
    const other = await createProject([member]);
    const c = await signIn(t.http, member.email);
    const base = `/projects/${project.id}?view=list`;
    await createTickets(other, member, 1, () => ({ title: 'Quokka in the other project' }));
    expect(rowNumbers((await c.page(`${base}&q=quokka`)).text)).toEqual([]);

    const created = await submitForm(c, 'post', `/projects/${project.id}/tickets`, {
      title: 'Quokka sighting',
      description: 'Near the **harbour**.',
      priority: 'LOW',
    });
    expect(created.status).toBe(200);
    expect(rowNumbers((await c.page(`${base}&q=quokka`)).text)).toEqual([1]);
    expect(rowNumbers((await c.page(`${base}&q=harbour`)).text)).toEqual([1]);

    const [ticket] = await Ticket.findAll({ where: { projectId: project.id } });
    const edited = await submitForm(c, 'patch', `/projects/${project.id}/tickets/${ticket.id}`, {
      source: 'edit',
      version: String(ticket.version),
      title: 'Wombat sighting',
      description: 'Near the lighthouse.',
      priority: ticket.priority,
      status: ticket.status,
      baseTitle: ticket.title,
      baseDescription: ticket.description,
      basePriority: ticket.priority,
      baseStatus: ticket.status,
    });
    expect(edited.status).toBe(200);
    expect(rowNumbers((await c.page(`${base}&q=quokka`)).text)).toEqual([]);
    expect(rowNumbers((await c.page(`${base}&q=harbour`)).text)).toEqual([]);
    expect(rowNumbers((await c.page(`${base}&q=lighthouse%20wombat`)).text)).toEqual([1]);

    const deleted = await submitForm(c, 'delete', `/projects/${project.id}/tickets/${ticket.id}`);
    expect(deleted.status).toBe(200);
    expect(rowNumbers((await c.page(`${base}&q=wombat`)).text)).toEqual([]);
  });

  it('answers any search with a page, never an error: quotes, operators of either database, NUL, long input', async () => {
    const member = await createUser(t);
    const project = await createProject([member]);
    await createTickets(project, member, 3, (i) => ({ title: `Fuzzy ${i} "quoted" AND/OR (NEAR)` }));
    const c = await signIn(t.http, member.email);
    for (const q of [
      '"',
      "'",
      'fuzzy"*',
      'NEAR(fuzzy quoted)',
      'fuzzy AND OR NOT',
      '!:*&|<->',
      'title:fuzzy',
      '^fuzzy',
      '\u0000fuzzy',
      'fuzzy\u0000',
      '#0',
      '#99999999999',
      '-1',
      'ünïcödé 漢字 🙂',
      'x'.repeat(200),
      'a '.repeat(100),
    ]) {
      const response = await c.agent.get(`/projects/${project.id}`).query({ view: 'list', q });
      // Control characters are refused before the search, with a clear message (400).
      const expected = q.includes('\u0000') ? 400 : 200;
      expect({ q, status: response.status }).toEqual({ q, status: expected });
    }
    expect(
      rowNumbers((await c.page(`/projects/${project.id}?view=list&q=${encodeURIComponent('"fuzzy" OR')}`)).text),
    ).toEqual([3, 2, 1]);
    const long = await c.agent.get(`/projects/${project.id}`).query({ view: 'list', q: 'y'.repeat(10_000) });
    expect(long.status).toBe(400);
    expect(long.text).toContain('Keep the search to 200 characters or fewer.');
  });

  it('uses the search index and the number index at a realistic size, a fixed number of statements whatever the page', async () => {
    const member = await createUser(t);
    const project = await createProject([member]);
    for (let start = 0; start < 20_000; start += 2_000)
      await createTickets(project, member, 2_000, (i) => ({
        title: `Ticket about the ${WORDS[(start + i) % WORDS.length]} number ${start + i + 1}`,
        description: `Seen ${start + i} times with the ${WORDS[(start + i * 7) % WORDS.length]}.`,
        status: (['OPEN', 'IN_PROGRESS', 'REVIEW', 'DONE'] as const)[i % 4],
        priority: (['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const)[Math.floor(i / 4) % 4],
      }));
    await createTickets(project, member, 1, () => ({ title: 'The rare zeppelin', description: '' }));
    await t.sequelize.query(usesPostgres() ? 'ANALYZE tickets' : 'ANALYZE');
    const c = await signIn(t.http, member.email);
    const base = `/projects/${project.id}?view=list`;

    const searched = await statementsOf(t.sequelize, () => c.page(`${base}&q=zeppelin`));
    const search = searched.find((sql) => /search_vector|tickets_fts/.test(sql) && /ORDER BY/.test(sql))!;
    expect(search).toBeDefined();
    const plan = await planOf(t, search);
    if (usesPostgres()) {
      expect(plan).toContain('tickets_search');
      expect(plan).not.toMatch(/Seq Scan on tickets/);
    } else {
      expect(plan).toMatch(/tickets_fts VIRTUAL TABLE/);
    }
    expect(rowNumbers((await c.page(`${base}&q=zeppelin`)).text)).toEqual([20_001]);
    expect(rowNumbers((await c.page(`${base}&q=%2315000`)).text)[0]).toBe(15_000);

    // A word in every tenth ticket: the count stops at 1,000 and the best 1,000 are listed.
    const common = await c.page(`${base}&q=database`);
    expect(common.text).toContain('1,000+ tickets match the filters. Page 1 of 40.');
    expect((await c.agent.get(`${base}&q=database&page=41`)).headers.location).toBe(
      `/projects/${project.id}?view=list&q=database&page=40`,
    );

    // Status and priority together are counted and listed from their own index, not by reading
    // every ticket of the status and filtering the priority in the table.
    const filtered = await statementsOf(t.sequelize, () => c.page(`${base}&status=OPEN&priority=HIGH`));
    const filteredCount = filtered.find((sql) => /priority/.test(sql) && /LIMIT 1001/.test(sql))!;
    expect(filteredCount).toBeDefined();
    expect(await planOf(t, filteredCount)).toContain('tickets_project_status_priority_number');

    // The last page is read backwards from the end (the number index), not by skipping 19,975 rows.
    const last = await statementsOf(t.sequelize, () => c.page(`${base}&page=last`));
    const lastPage = await c.page(`${base}&page=last`);
    expect(lastPage.text).toContain('20,001 tickets. Page 801 of 801.');
    expect(rowNumbers(lastPage.text)).toEqual([1]);
    const lastSql = last.find((sql) => /FROM [`"]tickets[`"]/.test(sql) && /ORDER BY/.test(sql))!;
    expect(lastSql).toMatch(/[`"]number[`"] ASC/);
    expect(lastSql).not.toMatch(/OFFSET [1-9]/);
    if (usesPostgres()) expect(await planOf(t, lastSql)).not.toMatch(/Seq Scan on tickets/);

    // Every page, however deep, costs the statements of the first.
    const first = (await countQueries(t.sequelize, () => c.page(base))).count;
    const previous = /href="([^"]+)" rel="prev"/
      .exec(lastPage.text)![1]
      .replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');
    expect(previous).toContain('before=');
    for (const path of [`${base}&page=last`, previous, `${base}&page=800`, `${base}&page=400&after=10000`])
      expect({ path, count: (await countQueries(t.sequelize, () => c.page(path))).count }).toEqual({
        path,
        count: first,
      });
    expect(rowNumbers((await c.page(`${base}&page=400&after=10000`)).text)).toEqual(
      Array.from({ length: 25 }, (_, i) => 9_999 - i),
    );
  }, 120_000);
});
