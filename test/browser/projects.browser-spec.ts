import { createUser } from '../helpers/factories';
import { createProject, uniqueName } from '../helpers/project-factories';
import {
  BrowserTestbed,
  MODAL,
  markPage,
  openPage,
  pageWasNotReloaded,
  signInAs,
  startBrowserTestbed,
} from './browser';

describe('projects (browser)', () => {
  let testbed: BrowserTestbed;

  beforeAll(async () => {
    testbed = await startBrowserTestbed();
  });
  afterAll(() => testbed.close());

  it('a manager creates, edits and staffs a project in modals; the member then sees only that project', async () => {
    const manager = await createUser(testbed.app, { role: 'MANAGER', name: 'Mona Manager' });
    const member = await createUser(testbed.app, { name: 'Milo Member' });
    const elsewhere = await createProject({ name: uniqueName('Elsewhere') });
    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, manager.email);
    await markPage(page);

    // Create: an empty name keeps the modal open with the message, without a reload.
    await page.click('#new-project');
    await page.waitForSelector(`${MODAL} #project-form`);
    await page.click(`${MODAL} button[type=submit]`);
    await page.waitForSelector(`${MODAL} [data-error-for=name]`);
    expect(await page.textContent(`${MODAL} [data-error-for=name]`)).toBe('Enter a name for the project.');
    expect(await pageWasNotReloaded(page)).toBe(true);

    const name = uniqueName('Apollo');
    await page.fill(`${MODAL} #project-name`, name);
    await page.fill(`${MODAL} #project-description`, 'Landing on the moon');
    await page.click(`${MODAL} button[type=submit]`);
    await page.waitForSelector(MODAL, { state: 'detached' });
    const card = page.locator('.project-card', { hasText: name });
    await card.waitFor();
    expect(await card.locator('[data-testid=project-excerpt]').textContent()).toBe('Landing on the moon');
    expect(await card.locator('[data-testid=membership]').textContent()).toBe('Member');
    expect(await pageWasNotReloaded(page)).toBe(true);

    // Edit.
    const renamed = uniqueName('Artemis');
    await card.locator('a[data-action=edit]').click();
    await page.waitForSelector(`${MODAL} #project-form`);
    expect(await page.inputValue(`${MODAL} #project-name`)).toBe(name);
    await page.fill(`${MODAL} #project-name`, renamed);
    await page.click(`${MODAL} button[type=submit]`);
    await page.waitForSelector(MODAL, { state: 'detached' });
    const renamedCard = page.locator('.project-card', { hasText: renamed });
    await renamedCard.waitFor();
    expect(await page.locator('.project-card', { hasText: name }).count()).toBe(0);
    expect(await pageWasNotReloaded(page)).toBe(true);

    // Add a member: the modal stays open on the new list; the card beneath updates.
    await renamedCard.locator('a[data-action=members]').click();
    await page.waitForSelector(`${MODAL} #add-member-form`);
    expect(await page.getAttribute(`${MODAL} #invite-to-project`, 'href')).toMatch(/^\/invitations\/new\?projectId=/);
    await page.selectOption(`${MODAL} #member-user`, member.id);
    await page.click(`${MODAL} #add-member-form button[type=submit]`);
    await page.waitForSelector(`${MODAL} [data-member-id="${member.id}"]`);
    expect(await page.textContent(`${MODAL} #members-notice`)).toBe('Milo Member is now a member.');
    await page.waitForFunction(
      (title) =>
        [...document.querySelectorAll('.project-card')]
          .find((el) => el.textContent?.includes(title))
          ?.querySelector('[data-testid=members]')
          ?.getAttribute('data-count') === '2',
      renamed,
    );
    await page.keyboard.press('Escape');
    await page.waitForSelector(MODAL, { state: 'detached' });
    expect(await pageWasNotReloaded(page)).toBe(true);
    // The one failed request was the 422 of the empty name.
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
    expect(errors).toContain('422 POST /projects');

    // The member, in a context of their own, sees only that project.
    const memberSession = await openPage(testbed);
    await signInAs(memberSession.page, member.email);
    const names = await memberSession.page.locator('.project-card [data-testid=project-name]').allTextContents();
    expect(names).toEqual([renamed]);
    expect(await memberSession.page.content()).not.toContain(elsewhere.name);
    expect(await memberSession.page.locator('#new-project').count()).toBe(0);
    expect(memberSession.errors).toEqual([]);

    await memberSession.context.close();
    await context.close();
  });

  it('deletes a project after a confirmation that names its tickets', async () => {
    const manager = await createUser(testbed.app, { role: 'MANAGER' });
    const project = await createProject({ name: uniqueName('Apollo doomed'), members: [manager] });
    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, manager.email);
    await markPage(page);
    const card = page.locator(`.project-card[data-project-id="${project.id}"]`);
    await card.locator('a[data-action=delete]').click();
    await page.waitForSelector(`${MODAL} #project-delete-form`);
    expect(await page.textContent(`${MODAL} [data-testid=delete-tickets]`)).toContain('0 tickets');
    await page.click(`${MODAL} #project-delete-form button[type=submit]`);
    await page.waitForSelector(MODAL, { state: 'detached' });
    await card.waitFor({ state: 'detached' });
    expect(await pageWasNotReloaded(page)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('deleting a project from its board leaves the board for the dashboard', async () => {
    const manager = await createUser(testbed.app, { role: 'MANAGER' });
    const project = await createProject({ name: uniqueName('Apollo sunk'), members: [manager] });
    const { page, context } = await openPage(testbed);
    await signInAs(page, manager.email);
    await page.goto(`/projects/${project.id}`);
    await markPage(page);
    await page.click('#project-header a[data-action=delete]');
    await page.waitForSelector(`${MODAL} #project-delete-form`);
    await page.click(`${MODAL} #project-delete-form button[type=submit]`);
    await page.waitForURL((url) => url.pathname === '/');
    await page.waitForSelector('#projects');
    expect(await page.locator(`.project-card[data-project-id="${project.id}"]`).count()).toBe(0);
    expect(await pageWasNotReloaded(page)).toBe(true);
    await context.close();
  });

  it('removes a member after a confirmation, keeping the members modal open', async () => {
    const manager = await createUser(testbed.app, { role: 'MANAGER' });
    const member = await createUser(testbed.app, { name: 'Rita Removed' });
    const project = await createProject({ name: uniqueName('Apollo crew'), members: [manager, member] });
    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, manager.email);
    // The confirmation is a modal like every other, never the browser's native dialog.
    page.on('dialog', (dialog) => {
      throw new Error(`unexpected native dialog: ${dialog.message()}`);
    });
    await page.locator(`.project-card[data-project-id="${project.id}"] a[data-action=members]`).click();
    await page.waitForSelector(`${MODAL} [data-member-id="${member.id}"]`);
    await page.click(`${MODAL} [data-member-id="${member.id}"] a[data-action=remove]`);
    await page.waitForSelector(`${MODAL} #confirm-remove-member`);
    expect(await page.locator(MODAL).count()).toBe(2);
    expect(await page.textContent(`${MODAL} h1:has-text("Remove")`)).toContain('Rita Removed');
    await page.click(`${MODAL} #confirm-remove-member`);
    // The confirmation closes; the members modal stays, its list updated.
    await page.waitForSelector(`${MODAL} #confirm-remove-member`, { state: 'detached' });
    await page.waitForSelector(`${MODAL} [data-member-id="${member.id}"]`, { state: 'detached' });
    expect(await page.locator(MODAL).count()).toBe(1);
    expect(await page.textContent(`${MODAL} #members-notice`)).toBe('The member was removed.');
    expect(errors).toEqual([]);
    await context.close();
  });
});
