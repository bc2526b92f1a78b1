import { createUser } from '../helpers/factories';
import { createProject, createTickets } from '../e2e/tickets-fixtures';
import { BrowserTestbed, MODAL, openPage, seriousA11yViolations, signInAs, startBrowserTestbed } from './browser';

const PHONE = { width: 390, height: 844 };

describe('accessibility (browser): axe-core finds no serious or critical violation', () => {
  let testbed: BrowserTestbed;

  beforeAll(async () => {
    testbed = await startBrowserTestbed();
  });
  afterAll(() => testbed.close());

  it('on the sign-in page', async () => {
    const { page, context } = await openPage(testbed);
    await page.goto('/login');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });

  it.each([
    ['desktop', null],
    ['phone', PHONE],
  ])('on a %s: the main pages and the modals opened from them', async (_label, viewport) => {
    const manager = await createUser(testbed.app, { role: 'MANAGER' });
    const project = await createProject([manager]);
    const [ticket] = await createTickets(project, manager, 2, (i) => ({ title: `Ticket ${i + 1}` }));
    // A list of many pages: the pager with First, Previous, numbers, Next and Last.
    const paged = await createProject([manager]);
    await createTickets(paged, manager, 120);
    const { page, errors, context } = await openPage(testbed);
    if (viewport) await page.setViewportSize(viewport);
    await signInAs(page, manager.email);

    const found: Record<string, string[]> = {};
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
      found[path] = await seriousA11yViolations(page);
    }
    await page.goto(`/projects/${project.id}`);
    // axe measures contrast as shown: no fade-in half way through.
    await page.evaluate(() => {
      up.motion.config.enabled = false;
    });
    for (const url of [
      `/projects/${project.id}/tickets/new`,
      `/projects/${project.id}/tickets/${ticket.id}`,
      `/projects/${project.id}/tickets/${ticket.id}/edit`,
      `/projects/${project.id}/members`,
      '/invitations/new',
      '/profile',
    ]) {
      await page.evaluate((modalUrl) => up.layer.open({ url: modalUrl, mode: 'modal' }), url);
      await page.waitForSelector(`${MODAL} h1, ${MODAL} h2`);
      found[`modal ${url}`] = await seriousA11yViolations(page);
      await page.evaluate(() => up.layer.dismiss());
      await page.waitForSelector(MODAL, { state: 'detached' });
    }
    expect(Object.entries(found).filter(([, violations]) => violations.length)).toEqual([]);
    // /users lists accounts of the other browser specs, whose avatar files live in their own data folders.
    expect(errors.filter((e) => !/avatars\/|Failed to load resource/.test(e))).toEqual([]);
    await context.close();
  });
});

declare const up: {
  motion: { config: { enabled: boolean } };
  layer: { open(options: { url: string; mode: string }): Promise<unknown>; dismiss(): void };
};
