import { Invitation } from '../../src/invitations/invitation.model';
import { createUser, uniqueEmail } from '../helpers/factories';
import { createProject, createTickets } from '../e2e/tickets-fixtures';
import { BrowserTestbed, MODAL, openPage, signInAs, startBrowserTestbed } from './browser';

const PHONE = { width: 390, height: 844 };

describe('phone (browser): 390 px wide', () => {
  let testbed: BrowserTestbed;

  beforeAll(async () => {
    testbed = await startBrowserTestbed();
  });
  afterAll(() => testbed.close());

  const pageWidth = (page: import('playwright-core').Page) =>
    page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));

  it('no page scrolls sideways; the board scrolls its columns instead; list titles keep a readable width', async () => {
    const manager = await createUser(testbed.app, { role: 'MANAGER' });
    // Named to sort first: a manager's dashboard lists every project the other specs made, 24 a page.
    const project = await createProject([manager], 'A phone project');
    await createTickets(project, manager, 3, (i) => ({ title: `A ticket with a reasonably long title ${i + 1}` }));
    // A list of many pages: the pager with First, Previous, numbers, Next and Last.
    const paged = await createProject([manager]);
    await createTickets(paged, manager, 120);
    await Invitation.create({
      email: uniqueEmail('phone-invitee'),
      tokenHash: 'f'.repeat(64),
      role: 'MEMBER',
      expiresAt: new Date(Date.now() + 86_400_000),
      tokenIssuedAt: new Date(),
      sentAt: new Date(),
      senderId: manager.id,
    });
    const { page, errors, context } = await openPage(testbed);
    await page.setViewportSize(PHONE);
    await signInAs(page, manager.email);

    for (const path of [
      '/',
      '/invitations',
      '/users',
      `/projects/${project.id}`,
      `/projects/${project.id}?view=list`,
      `/projects/${paged.id}?view=list&page=3&after=71`,
    ]) {
      await page.goto(path);
      await page.waitForSelector('#navbar');
      expect([path, await pageWidth(page)]).toEqual([path, PHONE.width]);
    }

    // The board: columns side by side in a strip that scrolls, each most of the screen wide.
    await page.goto(`/projects/${project.id}`);
    const board = await page.evaluate(() => {
      const strip = document.getElementById('board')!;
      const column = document.getElementById('column-OPEN')!.getBoundingClientRect();
      const next = document.getElementById('column-IN_PROGRESS')!.getBoundingClientRect();
      return {
        scrolls: strip.scrollWidth > strip.clientWidth,
        sideBySide: next.top === column.top,
        width: column.width,
      };
    });
    expect(board).toEqual({ scrolls: true, sideBySide: true, width: expect.any(Number) });
    expect(board.width).toBeGreaterThan(250);

    await page.goto(`/projects/${project.id}?view=list`);
    const titleWidth = await page.evaluate(
      () => document.querySelector('#ticket-list .ticket-title')!.getBoundingClientRect().width,
    );
    expect(titleWidth).toBeGreaterThanOrEqual(150);
    // /users lists accounts of the other browser specs, whose avatar files live in their own data folders.
    expect(errors.filter((e) => !/avatars\/|Failed to load resource/.test(e))).toEqual([]);
    await context.close();
  });

  it('the main flows on a phone: the menu, an invitation, a ticket added, moved and commented, all in modals that fit the screen', async () => {
    const manager = await createUser(testbed.app, { role: 'MANAGER' });
    // Named to sort first: a manager's dashboard lists every project the other specs made, 24 a page.
    const project = await createProject([manager], 'A phone project');
    const { page, errors, context } = await openPage(testbed);
    await page.setViewportSize(PHONE);
    await signInAs(page, manager.email);
    const fits = async () => {
      expect(await pageWidth(page)).toBe(PHONE.width);
      const box = await page.locator(`${MODAL} [role=dialog]`).last().boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    };

    // The collapsed menu opens by its button and leads to the invitations.
    expect(await page.isVisible('#main-nav a:has-text("Invitations")')).toBe(false);
    await page.click('#navbar .navbar-toggler');
    await page.click('#main-nav a:has-text("Invitations")');
    await page.waitForURL((url) => url.pathname === '/invitations');
    await page.click('#invite-someone');
    await page.waitForSelector(`${MODAL} #invite-form`);
    await fits();
    const email = uniqueEmail('phone-invite');
    await page.fill(`${MODAL} #invite-email`, email);
    await page.click(`${MODAL} #invite-form button[type=submit]`);
    await page.waitForSelector(MODAL, { state: 'detached' });
    await page.waitForSelector(`#toasts [data-toast]:has-text("Invitation for ${email} is on its way.")`);

    // A ticket: added in a modal, then opened from its card, moved and commented on.
    await page.goto('/');
    await page.click(`.project-card[data-project-id="${project.id}"] [data-testid=project-name]`);
    await page.waitForURL((url) => url.pathname === `/projects/${project.id}`);
    await page.click('#add-ticket');
    await page.waitForSelector(`${MODAL} #ticket-form`);
    await fits();
    await page.fill(`${MODAL} #title`, 'Added on a phone');
    await page.click(`${MODAL} #save-ticket`);
    await page.waitForSelector(MODAL, { state: 'detached' });
    const card = '#cards-OPEN [data-ticket-card][data-number="1"]';
    await page.click(`${card} a.ticket-link`);
    await page.waitForSelector(`${MODAL} #ticket-details`);
    await fits();
    await page.selectOption(`${MODAL} #ticket-status`, 'IN_PROGRESS');
    await page.waitForSelector(`${MODAL} #ticket-saved`);
    await page.fill(`${MODAL} #comment-body`, 'Written with my thumbs');
    await page.click(`${MODAL} #add-comment`);
    await page.waitForSelector(`${MODAL} [data-timeline-entry="comment"]:has-text("Written with my thumbs")`);
    await fits();
    await page.click(`${MODAL} up-modal-dismiss`);
    await page.waitForSelector(MODAL, { state: 'detached' });
    await page.waitForSelector('#cards-IN_PROGRESS [data-ticket-card][data-number="1"] [data-comments="1"]');
    expect(errors).toEqual([]);
    await context.close();
  });
});
