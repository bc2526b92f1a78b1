import { Comment } from '../../src/comments/comment.model';
import { Ticket } from '../../src/tickets/ticket.model';
import { createUser } from '../helpers/factories';
import { createProject, createTickets } from '../e2e/tickets-fixtures';
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

describe('teamwork (browser): assignees, comments and the timeline', () => {
  let testbed: BrowserTestbed;

  beforeAll(async () => {
    testbed = await startBrowserTestbed();
  });
  afterAll(() => testbed.close());

  const card = (status: string, number: number) => `#cards-${status} [data-ticket-card][data-number="${number}"]`;
  const timeline = `${MODAL} #ticket-timeline`;

  it('assigns from the details modal, comments (an error, then saved), shows both in the timeline, and filters the board to "assigned to me"', async () => {
    const uma = await createUser(testbed.app, { name: 'Uma Assignee' });
    const ben = await createUser(testbed.app, { name: 'Ben Reporter' });
    const project = await createProject([uma, ben]);
    const [first] = await createTickets(project, ben, 2, (i) => ({ title: `Teamwork ${i + 1}` }));
    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, uma.email);
    await page.goto(`/projects/${project.id}`);
    await markPage(page);
    expect(await page.$(`${card('OPEN', 1)} .ticket-unassigned`)).not.toBeNull();

    await page.click(`${card('OPEN', 1)} a.ticket-link`);
    await page.waitForSelector(`${MODAL} #ticket-details`);

    // Assign: saved in place, like the status menu, and the card underneath shows the avatar.
    await page.selectOption(`${MODAL} #ticket-assignee`, uma.id);
    await page.waitForSelector(`${MODAL} #ticket-saved`);
    expect(await page.inputValue(`${MODAL} #ticket-assignee`)).toBe(uma.id);
    await page.waitForSelector(`${card('OPEN', 1)} [data-assignee="${uma.id}"]`);

    // A status change, then the timeline shows both changes by their author.
    await page.selectOption(`${MODAL} #ticket-status`, 'IN_PROGRESS');
    await page.waitForSelector(
      `${timeline} [data-timeline-entry="history"]:has-text("changed the status from Open to In progress")`,
    );
    expect(await page.textContent(timeline)).toContain('assigned the ticket to Uma Assignee');

    // A blank comment: the message in the same modal, nothing saved.
    await page.click(`${MODAL} #add-comment`);
    await page.waitForSelector(`${MODAL} [data-error-for="body"]`);
    expect(await page.textContent(`${MODAL} [data-error-for="body"]`)).toMatch(/\S/);
    expect(await Comment.count({ where: { ticketId: first.id } })).toBe(0);

    // Then a real one: it appears in the timeline, the modal stays open, the form is empty again.
    await page.fill(`${MODAL} #comment-body`, 'Picked it up, **on it**.');
    await page.click(`${MODAL} #add-comment`);
    await page.waitForSelector(`${timeline} [data-timeline-entry="comment"] strong:has-text("on it")`);
    expect(await page.inputValue(`${MODAL} #comment-body`)).toBe('');
    expect(await page.$(`${MODAL} [data-error-for="body"]`)).toBeNull();
    const entries = await page.$$eval(`${timeline} [data-timeline-entry]`, (items) =>
      items.map((item) => `${item.getAttribute('data-timeline-entry')}: ${item.textContent?.replace(/\s+/g, ' ')}`),
    );
    // Oldest first: assigned, status, then the comment (the fixture's tickets were inserted without history).
    expect(entries.map((entry) => entry.split(':')[0])).toEqual(['history', 'history', 'comment']);
    expect(entries[0]).toContain('Uma Assignee assigned the ticket to Uma Assignee');
    expect(entries[1]).toContain('Uma Assignee changed the status from Open to In progress');
    expect(entries[2]).toContain('Picked it up');
    expect(await pageWasNotReloaded(page)).toBe(true);

    await page.keyboard.press('Escape');
    await page.waitForSelector(MODAL, { state: 'detached' });
    await page.waitForSelector(`${card('IN_PROGRESS', 1)} [data-comments="1"]`);

    // The board filtered to "assigned to me": only ticket #1, and the URL can be bookmarked.
    await page.selectOption('#board-assignee', 'me');
    await page.waitForURL(/assignee=me/);
    await page.waitForSelector(card('IN_PROGRESS', 1));
    expect(await page.$(card('OPEN', 2))).toBeNull();
    await page.reload();
    await page.waitForSelector(card('IN_PROGRESS', 1));
    expect(await page.$(card('OPEN', 2))).toBeNull();
    expect(await page.inputValue('#board-assignee')).toBe('me');

    const ticket = await Ticket.findOne({ where: { projectId: project.id, number: 1 } });
    expect(ticket).toMatchObject({ assigneeId: uma.id, status: 'IN_PROGRESS', commentCount: 1 });
    // The blank comment answered 422 on purpose; nothing else failed.
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
    await context.close();
  });

  it('deletes a comment after a confirmation in a modal over the details (never the native dialog); Cancel keeps it', async () => {
    const ada = await createUser(testbed.app, { name: 'Ada Author' });
    const project = await createProject([ada]);
    const [ticket] = await createTickets(project, ada, 1, () => ({ title: 'Comment to delete' }));
    const { page, errors, context } = await openPage(testbed);
    page.on('dialog', (dialog) => {
      throw new Error(`unexpected native dialog: ${dialog.message()}`);
    });
    await signInAs(page, ada.email);
    await page.goto(`/projects/${project.id}`);
    // axe measures contrast as shown: no fade-in half way through.
    await page.evaluate(() => {
      up.motion.config.enabled = false;
    });
    await page.click(`${card('OPEN', 1)} a.ticket-link`);
    await page.fill(`${MODAL} #comment-body`, 'Posted by mistake');
    await page.click(`${MODAL} #add-comment`);
    const entry = `${timeline} [data-timeline-entry="comment"]:has-text("Posted by mistake")`;
    await page.waitForSelector(entry);

    // Cancel: the question closes, the comment stays.
    await page.click(`${entry} [data-delete-comment]`);
    await page.waitForSelector(`${MODAL} #confirm-delete-comment`);
    expect(await page.locator(MODAL).count()).toBe(2);
    expect(await page.textContent(`${MODAL} #comment-delete`)).toContain('Posted by mistake');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.click(`${MODAL} #comment-delete a:has-text("Cancel")`);
    await page.waitForSelector(`${MODAL} #confirm-delete-comment`, { state: 'detached' });
    expect(await Comment.count({ where: { ticketId: ticket.id } })).toBe(1);

    // Delete: the question closes, the details stay open with the timeline updated.
    await page.click(`${entry} [data-delete-comment]`);
    await page.click(`${MODAL} #confirm-delete-comment`);
    await page.waitForSelector(`${MODAL} #confirm-delete-comment`, { state: 'detached' });
    await page.waitForSelector(`${timeline} [data-timeline-entry="history"]:has-text("deleted a comment")`);
    expect(await page.locator(MODAL).count()).toBe(1);
    expect(await page.locator(entry).count()).toBe(0);
    expect(await Comment.count({ where: { ticketId: ticket.id } })).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

declare const up: { motion: { config: { enabled: boolean } } };
