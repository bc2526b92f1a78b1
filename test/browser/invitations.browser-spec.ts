import type { INestApplicationContext } from '@nestjs/common';
import { Invitation } from '../../src/invitations/invitation.model';
import { Project } from '../../src/projects/project.model';
import { createUser, uniqueEmail } from '../helpers/factories';
import { startWorker } from '../helpers/mail-worker';
import { joinPathFrom, SmtpSink, startSmtpSink } from '../helpers/smtp-sink';
import {
  BrowserTestbed,
  markPage,
  MODAL,
  openPage,
  pageWasNotReloaded,
  signInAs,
  startBrowserTestbed,
} from './browser';

describe('invitations (browser)', () => {
  let smtp: SmtpSink;
  let testbed: BrowserTestbed;
  let worker: INestApplicationContext | null;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    testbed = await startBrowserTestbed({ SMTP_URL: smtp.url });
    worker = await startWorker(testbed.app.config);
  });
  afterAll(async () => {
    await worker?.close();
    await testbed.close();
    await smtp.close();
  });

  it('a manager invites in a modal (errors stay in it, no reload), the invitee joins from the mailed link and sees the dashboard', async () => {
    const manager = await createUser(testbed.app, { role: 'MANAGER', name: 'Mona Manager' });
    const project = await Project.create({ name: `Browser project ${Date.now()}`, createdBy: manager.id });
    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, manager.email);
    await page.goto('/invitations');
    await markPage(page);

    await page.click('#invite-someone');
    await page.waitForSelector(`${MODAL} #invite-form`);
    await page.fill(`${MODAL} #invite-email`, 'not-an-email');
    await page.selectOption(`${MODAL} #invite-project`, project.id);
    await page.click(`${MODAL} button[type=submit]`);
    await page.waitForSelector(`${MODAL} [data-error-for=email]`);
    expect(await page.textContent(`${MODAL} [data-error-for=email]`)).toContain('Enter a valid email address');
    expect(await pageWasNotReloaded(page)).toBe(true);

    const email = uniqueEmail('browser-invitee');
    await page.fill(`${MODAL} #invite-email`, email);
    await page.click(`${MODAL} button[type=submit]`);
    await page.waitForSelector(MODAL, { state: 'detached' });
    await page.waitForSelector(`#invitations tr:has-text("${email}")`);
    // Acknowledged by a toast that the list's refresh beneath does not eat.
    await page.waitForSelector(`#toasts [data-toast]:has-text("Invitation for ${email} is on its way.")`);
    expect(await page.textContent(`#invitations tr:has-text("${email}")`)).toContain(project.name);
    expect(await pageWasNotReloaded(page)).toBe(true);
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
    await context.close();

    const mail = await smtp.waitFor(email);
    const invitee = await openPage(testbed);
    await invitee.page.goto(joinPathFrom(mail));
    const emailField = invitee.page.locator('#join-email');
    expect(await emailField.inputValue()).toBe(email);
    expect(await emailField.getAttribute('readonly')).not.toBeNull();
    await invitee.page.fill('#join-name', 'Bea Browser');
    await invitee.page.fill('#join-password', 'a long password');
    await invitee.page.fill('#join-confirm', 'a long password');
    await Promise.all([
      invitee.page.waitForURL((url) => url.pathname === '/'),
      invitee.page.click('#join-form button[type=submit]'),
    ]);
    await invitee.page.waitForSelector('[data-testid=navbar-email]');
    expect(await invitee.page.textContent('[data-testid=navbar-email]')).toBe(email);
    expect(await invitee.page.textContent('#projects')).toContain(project.name);
    expect(invitee.errors).toEqual([]);
    await invitee.context.close();
  });

  it('inviting one email to two projects makes one invitation: the modal says so, the new mail joins both, the older link says to use the newer one, with a sign-in link', async () => {
    const manager = await createUser(testbed.app, { role: 'MANAGER', name: 'Max Merger' });
    const apollo = await Project.create({ name: `Apollo ${Date.now()}`, createdBy: manager.id });
    const zeus = await Project.create({ name: `Zeus ${Date.now()}`, createdBy: manager.id });
    const email = uniqueEmail('browser-twice');
    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, manager.email);
    await page.goto('/invitations');
    const inviteTo = async (project: Project) => {
      await page.click('#invite-someone');
      await page.waitForSelector(`${MODAL} #invite-form`);
      await page.fill(`${MODAL} #invite-email`, email);
      await page.selectOption(`${MODAL} #invite-project`, project.id);
      await page.click(`${MODAL} button[type=submit]`);
    };
    await inviteTo(apollo);
    await page.waitForSelector(MODAL, { state: 'detached' });
    const firstMail = await smtp.waitFor(email);

    await inviteTo(zeus);
    await page.waitForSelector(`${MODAL} #invite-outcome`);
    const said = await page.textContent(`${MODAL} #invite-outcome`);
    expect(said).toContain(`Added ${zeus.name} to the invitation already sent to ${email}`);
    expect(said).toContain('the earlier link no longer works');
    await page.click(`${MODAL} a:has-text("Done")`);
    await page.waitForSelector(MODAL, { state: 'detached' });
    await page.waitForSelector(`#invitations tr:has-text("${email}")`);
    expect(await page.locator(`#invitations tr:has-text("${email}")`).count()).toBe(1);
    expect(await page.textContent(`#invitations tr:has-text("${email}")`)).toContain(`${apollo.name} and ${zeus.name}`);
    expect(errors).toEqual([]);
    await context.close();

    const secondMail = await smtp.waitFor(email, 2);
    const invitee = await openPage(testbed);
    await invitee.page.goto(joinPathFrom(firstMail));
    expect(await invitee.page.textContent('#error-message')).toContain('newer invitation email');
    expect(await invitee.page.locator('#join-sign-in').getAttribute('href')).toBe('/login');
    expect(await invitee.page.locator('#join-password').count()).toBe(0);

    await invitee.page.goto(joinPathFrom(secondMail));
    await invitee.page.fill('#join-name', 'Tess Twice');
    await invitee.page.fill('#join-password', 'a long password');
    await invitee.page.fill('#join-confirm', 'a long password');
    await Promise.all([
      invitee.page.waitForURL((url) => url.pathname === '/'),
      invitee.page.click('#join-form button[type=submit]'),
    ]);
    const projects = await invitee.page.textContent('#projects');
    expect(projects).toContain(apollo.name);
    expect(projects).toContain(zeus.name);
    // The older link opened signed out: the clear message and a real sign-in link, no form.
    const later = await openPage(testbed);
    await later.page.goto(joinPathFrom(firstMail));
    expect(await later.page.locator('#join-sign-in').getAttribute('href')).toBe('/login');
    expect(await later.page.locator('#join-form').count()).toBe(0);
    // The old link answers 404 on purpose.
    expect(invitee.errors.filter((e) => !e.includes('404'))).toEqual([]);
    await invitee.context.close();
    await later.context.close();
  });

  it('shows why a resend (too soon, 429) or a revoke (used meanwhile, 409) was refused, in the modal', async () => {
    const manager = await createUser(testbed.app, { role: 'MANAGER', name: 'Rita Refused' });
    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, manager.email);
    await page.goto('/invitations');
    await page.click('#invite-someone');
    await page.waitForSelector(`${MODAL} #invite-form`);
    const email = uniqueEmail('browser-refused');
    await page.fill(`${MODAL} #invite-email`, email);
    await page.click(`${MODAL} button[type=submit]`);
    await page.waitForSelector(MODAL, { state: 'detached' });
    const row = `#invitations tr:has-text("${email}")`;
    await page.waitForSelector(row);
    await markPage(page);

    // Sent moments ago: the resend is refused, and the modal says so beside its button.
    await page.click(`${row} a:has-text("Resend")`);
    await page.click(`${MODAL} button[type=submit]:has-text("Resend")`);
    await page.waitForSelector(`${MODAL} #invitation-action-error`);
    expect(await page.textContent(`${MODAL} #invitation-action-error`)).toContain('sent moments ago');
    await page.keyboard.press('Escape');
    await page.waitForSelector(MODAL, { state: 'detached' });

    // Used while the revoke modal was open: refused, with the reason.
    await page.click(`${row} a:has-text("Revoke")`);
    await page.waitForSelector(`${MODAL} button[type=submit]:has-text("Revoke")`);
    await Invitation.update({ isUsed: true, usedAt: new Date() }, { where: { email } });
    await page.click(`${MODAL} button[type=submit]:has-text("Revoke")`);
    await page.waitForSelector(`${MODAL} #invitation-action-error`);
    expect(await page.textContent(`${MODAL} #invitation-action-error`)).toContain('already');
    expect(await pageWasNotReloaded(page)).toBe(true);
    // The refusals answer 429 and 409 on purpose.
    expect(errors.filter((e) => !/429|409/.test(e))).toEqual([]);
    await context.close();
  });

  it('inviting someone who has an account, from the Members modal, says so at once in the modal and lists them there', async () => {
    const manager = await createUser(testbed.app, { role: 'MANAGER' });
    const known = await createUser(testbed.app, { name: 'Kim Known' });
    const project = await Project.create({ name: `Members ${Date.now()}`, createdBy: manager.id });
    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, manager.email);
    await page.locator(`.project-card[data-project-id="${project.id}"] a[data-action=members]`).click();
    await page.waitForSelector(`${MODAL} #invite-to-project`);
    await page.click(`${MODAL} #invite-to-project`);
    await page.waitForSelector(`${MODAL} #invite-form`);
    await page.fill(`${MODAL} #invite-email`, known.email);
    await page.click(`${MODAL} #invite-form button[type=submit]`);

    await page.waitForSelector(`${MODAL} #invite-outcome`);
    expect((await page.textContent(`${MODAL} #invite-outcome`))?.replace(/\s+/g, ' ')).toContain(
      `Kim Known (${known.email}) already had an account and was added to ${project.name} directly`,
    );
    await page.click(`${MODAL} a:has-text("Done")`);
    await page.waitForSelector(`${MODAL} #invite-outcome`, { state: 'detached' });
    await page.waitForSelector(`${MODAL} [data-member-id="${known.id}"]`);
    expect(await page.locator(MODAL).count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
