import { mentionHandle } from '../../src/common/mentions';
import { createUser, uniqueEmail } from '../helpers/factories';
import { createProject, createTickets } from '../e2e/tickets-fixtures';
import { BrowserTestbed, MODAL, openPage, signInAs, startBrowserTestbed } from './browser';

describe('mentions (browser)', () => {
  let testbed: BrowserTestbed;

  beforeAll(async () => {
    testbed = await startBrowserTestbed();
  });
  afterAll(() => testbed.close());

  it('a member mentioned by keyboard in a comment signs in and finds it in the inbox', async () => {
    const alice = await createUser(testbed.app, { name: 'Alice Reporter' });
    const bob = await createUser(testbed.app, { name: 'Bob Author' });
    const dora = await createUser(testbed.app, { name: 'Dora Member', email: uniqueEmail('dora') });
    const project = await createProject([alice, bob, dora]);
    const [ticket] = await createTickets(project, alice, 1, () => ({ title: 'Needs Dora' }));
    const handle = mentionHandle(dora.email);

    const author = await openPage(testbed);
    await signInAs(author.page, bob.email);
    await author.page.goto(`/projects/${project.id}/tickets/${ticket.id}`);
    await author.page.click('#comment-body');
    await author.page.keyboard.type('Could @dor');
    await author.page.waitForSelector('#comment-body-mentions [role=option]');
    expect(await author.page.textContent('#comment-body-mentions [role=option].active')).toBe(`Dora Member @${handle}`);
    await author.page.keyboard.press('Enter');
    expect(await author.page.isHidden('#comment-body-mentions')).toBe(true);
    await author.page.keyboard.type('have a look?');
    expect(await author.page.inputValue('#comment-body')).toBe(`Could @${handle} have a look?`);
    await author.page.click('#add-comment');
    await author.page.waitForSelector('[data-timeline-entry="comment"] .mention:has-text("@Dora Member")');
    expect(author.errors).toEqual([]);

    const mentioned = await openPage(testbed);
    await signInAs(mentioned.page, dora.email);
    expect(await mentioned.page.textContent('#navbar-inbox [data-unread-count]')).toBe('1');
    await mentioned.page.click('#navbar-inbox');
    await mentioned.page.waitForSelector(`${MODAL} [data-notification]`);
    const entry = await mentioned.page.textContent(`${MODAL} [data-notification]`);
    expect(entry).toContain('Bob Author');
    expect(entry).toContain('mentioned you on');
    expect(entry).toContain('Needs Dora');
    expect(mentioned.errors).toEqual([]);
  });
});
