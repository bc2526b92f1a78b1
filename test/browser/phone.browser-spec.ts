import { Invitation } from '../../src/invitations/invitation.model';
import { createUser, uniqueEmail } from '../helpers/factories';
import { createProject, createTickets } from '../e2e/tickets-fixtures';
import { BrowserTestbed, openPage, signInAs, startBrowserTestbed } from './browser';

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
    const project = await createProject([manager]);
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
});
