import type { BrowserContext, Page } from 'playwright-core';
import type { User } from '../../src/accounts/user.model';
import { LiveStreams } from '../../src/live/live-streams';
import { Ticket } from '../../src/tickets/ticket.model';
import { createProject, createTickets } from '../e2e/tickets-fixtures';
import { eventually } from '../helpers/eventually';
import { createUser, TEST_PASSWORD } from '../helpers/factories';
import { csrfFrom, signIn, submitForm } from '../helpers/http';
import {
  BrowserTestbed,
  markPage,
  MODAL,
  openPage,
  pageWasNotReloaded,
  seriousA11yViolations,
  signInAs,
  startBrowserTestbed,
} from './browser';

/** Signs in through the login form's HTTP requests in the context (its cookies), faster than typing it. */
async function signInQuickly(context: BrowserContext, email: string): Promise<void> {
  const login = await context.request.get('/login');
  const answer = await context.request.post('/login', {
    form: { email, password: TEST_PASSWORD, _csrf: csrfFrom(await login.text()) },
    maxRedirects: 0,
  });
  expect(answer.status()).toBe(303);
}

describe('live updates (browser): what others change appears without a reload', () => {
  let testbed: BrowserTestbed;

  beforeAll(async () => {
    testbed = await startBrowserTestbed({ LIVE_HEARTBEAT_MS: '1000', LIVE_SESSION_CHECK_MS: '500' });
  });
  afterAll(() => testbed.close());

  const card = (status: string, number: number) => `#cards-${status} [data-ticket-card][data-number="${number}"]`;
  const streamsOf = (user: User) => testbed.app.get(LiveStreams).openFor(user.id);
  /** Waits until the page's stream is open (the EventSource of its browser's leader tab answered). */
  const live = (page: Page) => page.waitForSelector('#live-status[data-stream="open"]', { state: 'attached' });

  it("moves a card on B's board when A drags it, and warns B's edit modal instead of replacing what B typed", async () => {
    const ana = await createUser(testbed.app, { name: 'Ana Mover' });
    const ben = await createUser(testbed.app, { name: 'Ben Watcher' });
    const project = await createProject([ana, ben]);
    await createTickets(project, ana, 2, (i) => ({ title: `Live ${i + 1}` }));
    const a = await openPage(testbed);
    const b = await openPage(testbed);
    await signInAs(a.page, ana.email);
    await signInAs(b.page, ben.email);
    await a.page.goto(`/projects/${project.id}`);
    await b.page.goto(`/projects/${project.id}`);
    await live(a.page);
    await live(b.page);
    await markPage(b.page);

    await a.page.dragAndDrop(card('OPEN', 1), '#column-DONE');
    await a.page.waitForSelector('#board-message[data-state="saved"]', { state: 'attached' });
    await b.page.waitForSelector(card('DONE', 1), { timeout: 5_000 });
    expect(await b.page.$(card('OPEN', 1))).toBeNull();
    expect(await pageWasNotReloaded(b.page)).toBe(true);

    // B opens ticket 2's edit form and types; A renames the ticket meanwhile.
    await b.page.click(`${card('OPEN', 2)} a.ticket-link`);
    await b.page.click(`${MODAL} #edit-ticket`);
    await b.page.waitForSelector(`${MODAL} #ticket-form`);
    await b.page.fill(`${MODAL} #title`, 'Ben’s title');
    await a.page.click(`${card('OPEN', 2)} a.ticket-link`);
    await a.page.click(`${MODAL} #edit-ticket`);
    await a.page.waitForSelector(`${MODAL} #ticket-form`);
    await a.page.fill(`${MODAL} #title`, 'Ana’s title');
    await a.page.click(`${MODAL} #save-ticket`);
    await a.page.waitForSelector(MODAL, { state: 'detached' });

    const warning = await b.page.waitForSelector(`${MODAL} [data-live-stale]`, { timeout: 5_000 });
    expect(await warning.textContent()).toContain('Changed by Ana Mover just now.');
    expect(await b.page.inputValue(`${MODAL} #title`)).toBe('Ben’s title');
    // The card beneath already shows A's title.
    await b.page.waitForSelector(`${card('OPEN', 2)} .ticket-title:text-is("Ana’s title")`);
    expect(await seriousA11yViolations(b.page)).toEqual([]);

    // Saving over the change still meets the stale-edit protection (409, nothing overwritten).
    await b.page.click(`${MODAL} #save-ticket`);
    await b.page.waitForSelector(`${MODAL} [data-current="title"]`);
    const stored = await Ticket.findOne({ where: { projectId: project.id, number: 2 }, rejectOnEmpty: true });
    expect(stored.title).toBe('Ana’s title');

    // "Reload?" shows the ticket as it is now.
    await b.page.click(`${MODAL} [data-live-stale] button`);
    await b.page.waitForFunction(
      (modal) => document.querySelector<HTMLInputElement>(`${modal} #title`)?.value === 'Ana’s title',
      MODAL,
    );
    expect(await pageWasNotReloaded(b.page)).toBe(true);
    expect(a.errors).toEqual([]);
    expect(b.errors.filter((error) => !error.includes('409'))).toEqual([]);
    await a.context.close();
    await b.context.close();
  });

  it('says "Live updates paused" while the stream is down, and the page works as without it', async () => {
    const ana = await createUser(testbed.app);
    const project = await createProject([ana]);
    await createTickets(project, ana, 1, () => ({ title: 'Still opens' }));
    const { page, context, errors } = await openPage(testbed);
    await context.route(/\/live(\?|$)/, (route) => route.abort());
    await signInQuickly(context, ana.email);
    await page.goto(`/projects/${project.id}`);
    const paused = await page.waitForSelector('#live-status:not([hidden])', { timeout: 10_000 });
    expect(await paused.textContent()).toBe('Live updates paused');
    expect(await paused.getAttribute('role')).toBe('status');
    await page.click(`${card('OPEN', 1)} a.ticket-link`);
    await page.waitForSelector(`${MODAL} #ticket-details`);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors.filter((error) => !/ERR_FAILED|net::/.test(error))).toEqual([]);
    await context.close();
  });

  it('shares one stream between seven tabs on boards: a change shows in all, and each still navigates', async () => {
    const ana = await createUser(testbed.app, { name: 'Ana Seven' });
    const project = await createProject([ana]);
    const [ticket] = await createTickets(project, ana, 1, () => ({ title: 'Seen everywhere' }));
    const first = await openPage(testbed);
    await signInQuickly(first.context, ana.email);
    const tabs = [first.page];
    for (let i = 1; i < 7; i++) tabs.push(await first.context.newPage());
    await Promise.all(tabs.map((tab) => tab.goto(`/projects/${project.id}`)));
    await live(first.page);
    await Promise.all(tabs.map((tab) => tab.waitForSelector(card('OPEN', 1))));
    // One stream for the seven tabs (the leader's), not one each.
    await eventually(async () => streamsOf(ana) === 1);
    await Promise.all(tabs.map((tab) => live(tab)));

    // A change from elsewhere (another device of Ana's) shows in every tab.
    const elsewhere = await signIn(testbed.app.http, ana.email);
    const moved = await submitForm(elsewhere, 'patch', `/projects/${project.id}/tickets/${ticket.id}`, {
      status: 'REVIEW',
      version: String(ticket.version),
      baseStatus: 'OPEN',
      source: 'board',
    });
    expect(moved.status).toBeLessThan(300);
    await Promise.all(tabs.map((tab) => tab.waitForSelector(card('REVIEW', 1), { timeout: 5_000 })));

    // With one connection held open, each tab still gets its pages.
    await Promise.all(
      tabs.map(async (tab) => {
        await tab.click('#ticket-views a:has-text("List")');
        await tab.waitForSelector('#ticket-views a.active:has-text("List")');
      }),
    );
    expect(first.errors).toEqual([]);
    await first.context.close();
  });
});
