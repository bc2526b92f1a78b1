import { CommentsService } from '../../src/comments/comments.service';
import { createUser } from '../helpers/factories';
import { createProject, createTickets } from '../e2e/tickets-fixtures';
import {
  BrowserTestbed,
  markPage,
  MODAL,
  openPage,
  pageWasNotReloaded,
  signInAs,
  startBrowserTestbed,
} from './browser';

describe('notifications (browser)', () => {
  let testbed: BrowserTestbed;

  beforeAll(async () => {
    testbed = await startBrowserTestbed();
  });
  afterAll(() => testbed.close());

  it('on a phone: the bell counts a comment, the inbox modal lists it and opens the ticket, marking it read empties the bell', async () => {
    const alice = await createUser(testbed.app, { name: 'Alice Reporter' });
    const bob = await createUser(testbed.app, { name: 'Bob Commenter' });
    const project = await createProject([alice, bob]);
    const [ticket] = await createTickets(project, alice, 1, () => ({ title: 'Told by the bell' }));
    await testbed.app.get(CommentsService).add(project, ticket.id, bob, 'Look here');

    const { page, errors } = await openPage(testbed);
    await page.setViewportSize({ width: 390, height: 800 });
    await signInAs(page, alice.email);
    await markPage(page);
    expect(await page.textContent('#navbar-inbox [data-unread-count]')).toBe('1');
    expect(await page.isVisible('#navbar-inbox')).toBe(true);

    await page.click('#navbar-inbox');
    await page.waitForSelector(`${MODAL} [data-notification]`);
    expect(await page.textContent(`${MODAL} [data-notification]`)).toContain('Bob Commenter');
    expect(await page.textContent(`${MODAL} [data-notification]`)).toContain('Look here');

    await page.click(`${MODAL} [data-notification] button[type=submit]`);
    await page.waitForSelector(`${MODAL} [role=status]`);
    expect(await page.textContent(`${MODAL} [role=status]`)).toContain('Marked as read.');
    await page.waitForSelector('#navbar-inbox [data-unread-count]', { state: 'detached' });

    await page.click(`${MODAL} .inbox-ticket`);
    await page.waitForSelector(`${MODAL} >> text=Look here`);
    expect(await pageWasNotReloaded(page)).toBe(true);
    expect(errors).toEqual([]);
  });
});
