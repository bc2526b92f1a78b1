import { Invitation } from '../../src/invitations/invitation.model';
import { generateToken, hashToken } from '../../src/invitations/invitation-token';
import { Project } from '../../src/projects/project.model';
import { createUser, uniqueEmail } from '../helpers/factories';
import { createProject, createTickets } from '../e2e/tickets-fixtures';
import { BrowserTestbed, MODAL, openPage, signInAs, startBrowserTestbed } from './browser';

const DESCRIPTION = [
  'Steps:',
  '',
  '| Browser | Works |',
  '| --- | --- |',
  '| Chromium | yes |',
  '',
  '> Quoted from the report',
  '',
  '- [x] reproduced',
  '- [ ] fixed',
].join('\n');

describe('what pages show (browser): list paging and search, initials, last sign-in, used links, Markdown', () => {
  let testbed: BrowserTestbed;

  beforeAll(async () => {
    testbed = await startBrowserTestbed();
  });
  afterAll(() => testbed.close());

  it('a used link opened while signed in says what became of it; initials of a quoted nickname; last sign-in after joining; a list page past the end; "#12"; Markdown styles', async () => {
    const manager = await createUser(testbed.app, { role: 'MANAGER', name: 'Robert "Bob" Builder' });
    const project = await createProject([manager]);
    await Project.update(
      { description: 'The **launch** project, see [the plan](https://example.com/plan)' },
      { where: { id: project.id } },
    );
    await createTickets(project, manager, 13, (i) => ({
      title: `Listed ticket ${i + 1}`,
      description: i === 11 ? DESCRIPTION : '',
    }));
    const email = uniqueEmail('joiner');
    const token = generateToken();
    await Invitation.create({
      email,
      tokenHash: hashToken(token),
      role: 'MEMBER',
      expiresAt: new Date(Date.now() + 86_400_000),
      tokenIssuedAt: new Date(),
      sentAt: new Date(),
      senderId: manager.id,
    });

    const invitee = await openPage(testbed);
    await invitee.page.goto(`/join/${token}`);
    await invitee.page.fill('#join-name', 'Jo Joiner');
    await invitee.page.fill('#join-password', 'a long enough password');
    await invitee.page.fill('#join-confirm', 'a long enough password');
    await invitee.page.click('button[type=submit]');
    await invitee.page.waitForURL((url) => url.pathname === '/');
    await invitee.page.goto(`/join/${token}`);
    const said = await invitee.page.textContent('#join-signed-in');
    expect(said).toContain('This invitation is for an account that exists already.');
    expect(said).not.toContain('sign out first');
    // The used link answers 409 on purpose (its account exists).
    expect(invitee.errors.filter((e) => !/409/.test(e))).toEqual([]);
    await invitee.context.close();

    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, manager.email);

    // Initials of a name with a quoted nickname: letters only, first and last word.
    expect((await page.textContent('#navbar .avatar-initials'))?.trim()).toBe('RB');

    await page.goto(`/projects/${project.id}?view=list&page=99`);
    expect(new URL(page.url()).searchParams.get('page')).not.toBe('99');
    expect(await page.textContent('#list-summary')).toContain('Page 1 of 1.');
    expect(await page.locator('[data-ticket-row]').count()).toBe(13);

    // The project's description is Markdown, not literal asterisks.
    const header = '[data-testid=project-description]';
    expect(await page.textContent(`${header} strong`)).toBe('launch');
    expect(await page.getAttribute(`${header} a`, 'href')).toBe('https://example.com/plan');
    expect(await page.textContent(header)).not.toContain('**');

    await page.fill('#filter-q', '#12');
    await page.click('#ticket-filters button[type=submit]');
    await page.waitForSelector('#list-summary:has-text("1 ticket matches")');
    expect(
      await page.$$eval('[data-ticket-row]', (rows) => rows.map((row) => row.getAttribute('data-number'))),
    ).toEqual(['12']);

    await page.click('[data-ticket-row][data-number="12"] a.ticket-title');
    await page.waitForSelector(`${MODAL} #ticket-description table`);
    const styles = await page.evaluate(() => {
      const description = document.querySelector('up-modal #ticket-description')!;
      const style = (selector: string) => getComputedStyle(description.querySelector(selector)!);
      return {
        cellBorder: style('td').borderTopStyle,
        quoteBorder: style('blockquote').borderLeftStyle,
        taskBullets: style('.contains-task-list').listStyleType,
        checkboxes: description.querySelectorAll('.task-list-item input[type=checkbox]').length,
        checked: description.querySelectorAll('.task-list-item input[type=checkbox]:checked').length,
      };
    });
    expect(styles).toEqual({
      cellBorder: 'solid',
      quoteBorder: 'solid',
      taskBullets: 'none',
      checkboxes: 2,
      checked: 1,
    });

    // Joining through the link above counts as a sign-in.
    await page.goto('/users');
    const lastSignIn = await page.textContent(`tr[data-email="${email}"] [data-field="last-login"]`);
    expect(lastSignIn).not.toContain('never');
    expect(await page.$(`tr[data-email="${email}"] [data-field="last-login"] time`)).not.toBeNull();
    // /users lists accounts of the other browser specs, whose avatar files live in their own data folders.
    expect(errors.filter((e) => !/avatars\/|Failed to load resource/.test(e))).toEqual([]);
    await context.close();
  });
});
