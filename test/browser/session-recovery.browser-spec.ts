import type { Page } from 'playwright-core';
import { AccountsService } from '../../src/accounts/accounts.service';
import { Session } from '../../src/accounts/session.model';
import { Ticket } from '../../src/tickets/ticket.model';
import { createUser, TEST_PASSWORD } from '../helpers/factories';
import { startTcpProxy } from '../helpers/tcp-proxy';
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

const NEW_PASSWORD = 'a brand new password';
const SIGN_IN_LAYER = `${MODAL} #signed-out-notice`;
const NOTICE = `${MODAL} #ticket-form [data-recovery-notice]`;

/** Opens "Add ticket" on the board and types a title and a description. */
async function typeNewTicket(page: Page, projectId: string, title: string): Promise<void> {
  await page.goto(`/projects/${projectId}`);
  await markPage(page);
  // axe measures contrast as shown: no fade-in half way through.
  await page.evaluate(() => {
    up.motion.config.enabled = false;
  });
  await page.click('#add-ticket');
  await page.waitForSelector(`${MODAL} #ticket-form`);
  await page.fill(`${MODAL} #title`, title);
  await page.fill(`${MODAL} #description`, 'The steps I typed with care');
}

async function signInInLayer(page: Page, email: string, password: string): Promise<void> {
  await page.fill(`${MODAL} #email`, email);
  await page.fill(`${MODAL} #password`, password);
  await page.click(`${MODAL} #login button[type=submit]`);
  await page.waitForSelector(SIGN_IN_LAYER, { state: 'detached' });
}

describe('session recovery (browser): what was typed survives the end of the session and a lost server', () => {
  let testbed: BrowserTestbed;

  beforeAll(async () => {
    testbed = await startBrowserTestbed();
  });
  afterAll(() => testbed.close());

  // The refusals recovery.js acts on are expected; nothing else may fail.
  const unexpected = (errors: string[]) =>
    errors.filter((e) => !/^(401|403) /.test(e) && !/status of (401|403) /.test(e));

  it('the password changed in another browser: sign in again in a layer over the form, which is then saved', async () => {
    const member = await createUser(testbed.app, { name: 'Sam Same' });
    const project = await createProject([member]);
    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, member.email);
    await typeNewTicket(page, project.id, 'Typed before the password changed');

    // Browser B changes the password: every other session of the member ends.
    await testbed.app.get(AccountsService).resetPassword(member.email, NEW_PASSWORD);
    await page.click(`${MODAL} #save-ticket`);

    // A sign-in layer over the form, which is still there with what was typed.
    await page.waitForSelector(SIGN_IN_LAYER);
    expect(await page.locator(MODAL).count()).toBe(2);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await page.inputValue(`${MODAL} #title`)).toBe('Typed before the password changed');
    expect(await page.inputValue(`${MODAL} #description`)).toBe('The steps I typed with care');
    expect(await Ticket.count({ where: { projectId: project.id } })).toBe(0);

    // A wrong password keeps the layer, with the message.
    await page.fill(`${MODAL} #email`, member.email);
    await page.fill(`${MODAL} #password`, 'not the password');
    await page.click(`${MODAL} #login button[type=submit]`);
    await page.waitForSelector(`${MODAL} #login-error`);
    expect(await page.locator(SIGN_IN_LAYER).count()).toBe(1);

    // The sign-in form's own session ends too: a fresh sign-in form replaces it in the layer.
    const cookie = (await context.cookies()).find((c) => c.name === 'hticket.sid')!;
    const sid = decodeURIComponent(cookie.value)
      .replace(/^s:/, '')
      .replace(/\.[^.]*$/, '');
    expect(await Session.destroy({ where: { sid } })).toBe(1);
    await page.fill(`${MODAL} #email`, member.email);
    await page.fill(`${MODAL} #password`, NEW_PASSWORD);
    await page.click(`${MODAL} #login button[type=submit]`);
    await page.waitForFunction(() => {
      const email = document.querySelector<HTMLInputElement>('up-modal #email');
      return email?.value === '' && !document.querySelector('up-modal #login-error');
    });
    expect(await page.locator(MODAL).count()).toBe(2);

    await signInInLayer(page, member.email, NEW_PASSWORD);
    // Sent again with the new session's token: saved, the modal closes, the board shows it.
    await page.waitForSelector(MODAL, { state: 'detached' });
    await page.waitForSelector('#cards-OPEN [data-ticket-card][data-number="1"]');
    await page.waitForSelector('#toasts [data-toast]:has-text("Ticket #1 added.")');
    const saved = await Ticket.findOne({ where: { projectId: project.id } });
    expect([saved?.title, saved?.description, saved?.reporterId]).toEqual([
      'Typed before the password changed',
      'The steps I typed with care',
      member.id,
    ]);
    expect(await pageWasNotReloaded(page)).toBe(true);
    // The page beneath goes on working with the new session (its forms took the new token).
    expect(await page.textContent('[data-testid=navbar-email]')).toBe(member.email);
    // The wrong password's 422 is expected too.
    expect(unexpected(errors).filter((e) => !/422/.test(e))).toEqual([]);
    await context.close();
  });

  it("signed in again as another account: the form is kept with a message, not sent; sending it then is that person's choice", async () => {
    const member = await createUser(testbed.app);
    const colleague = await createUser(testbed.app, { name: 'Cora Colleague' });
    const project = await createProject([member, colleague]);
    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, member.email);
    await typeNewTicket(page, project.id, 'Written by the first account');

    await testbed.app.get(AccountsService).endSessions(member.id);
    await page.click(`${MODAL} #save-ticket`);
    await page.waitForSelector(SIGN_IN_LAYER);
    // Closing the sign-in layer keeps the form, saying that nothing was sent.
    await page.keyboard.press('Escape');
    await page.waitForSelector(SIGN_IN_LAYER, { state: 'detached' });
    await page.waitForSelector(`${NOTICE}:has-text("Not sent: your session has ended")`);
    expect(await page.inputValue(`${MODAL} #title`)).toBe('Written by the first account');

    await page.click(`${MODAL} #save-ticket`);
    await page.waitForSelector(SIGN_IN_LAYER);
    await signInInLayer(page, colleague.email, TEST_PASSWORD);

    await page.waitForSelector(NOTICE);
    expect(await page.textContent(NOTICE)).toContain('signed in with another account');
    expect(await page.inputValue(`${MODAL} #title`)).toBe('Written by the first account');
    expect(await Ticket.count({ where: { projectId: project.id } })).toBe(0);
    await page.waitForSelector(`[data-testid=navbar-email]:has-text("${colleague.email}")`);

    await page.click(`${MODAL} #save-ticket`);
    await page.waitForSelector(MODAL, { state: 'detached' });
    const saved = await Ticket.findOne({ where: { projectId: project.id } });
    expect(saved?.reporterId).toBe(colleague.id);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it("after the idle timeout, a card opens a sign-in layer (never the sign-in form in the ticket modal), then the ticket; a form holding an earlier session's token is sent again with the current one", async () => {
    const member = await createUser(testbed.app);
    const project = await createProject([member]);
    await createTickets(project, member, 1, () => ({ title: 'Open me later' }));
    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, member.email);
    await page.goto(`/projects/${project.id}`);
    await markPage(page);

    // What the idle timeout does to the stored session: it expires.
    await Session.update({ expires: new Date(Date.now() - 1000) }, { where: { userId: member.id } });
    await page.click('#cards-OPEN [data-ticket-card][data-number="1"] a.ticket-link');
    await page.waitForSelector(SIGN_IN_LAYER);
    expect(await page.locator(MODAL).count()).toBe(1);
    expect(await page.locator(`${MODAL} #ticket-details`).count()).toBe(0);

    await signInInLayer(page, member.email, TEST_PASSWORD);
    await page.waitForSelector(`${MODAL} #ticket-details:has-text("Open me later")`);

    // A comment typed, then another tab of this browser signs out and in again (a new session
    // and token): the comment goes out with the current token, no sign-in needed.
    await page.fill(`${MODAL} #comment-body`, 'Sent with the current token');
    const other = await context.newPage();
    await other.goto('/');
    await other.click('#navbar form[action="/logout"] button');
    await other.waitForURL((url) => url.pathname === '/login');
    await signInAs(other, member.email);
    await other.close();
    await page.bringToFront();
    await page.click(`${MODAL} #add-comment`);
    await page.waitForSelector(`${MODAL} [data-timeline-entry="comment"]:has-text("Sent with the current token")`);
    expect(await page.locator(SIGN_IN_LAYER).count()).toBe(0);
    expect(await pageWasNotReloaded(page)).toBe(true);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('the server cannot be reached: the modal stays with the text and a message, and Retry saves once it is back', async () => {
    const member = await createUser(testbed.app);
    const project = await createProject([member]);
    const port = Number(new URL(testbed.baseUrl).port);
    const proxy = await startTcpProxy(port);
    const context = await testbed.browser.newContext({ baseURL: `http://127.0.0.1:${proxy.port}` });
    const page = await context.newPage();
    try {
      await signInAs(page, member.email);
      await typeNewTicket(page, project.id, 'Typed while the network went away');

      proxy.cut();
      await page.click(`${MODAL} #save-ticket`);
      await page.waitForSelector(NOTICE);
      expect(await page.textContent(NOTICE)).toContain('Could not reach hticket. Your text is kept.');
      expect(await page.inputValue(`${MODAL} #title`)).toBe('Typed while the network went away');
      expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-recovery-retry'))).toBe(true);

      proxy.restore();
      await page.click(`${NOTICE} [data-recovery-retry]`);
      await page.waitForSelector(MODAL, { state: 'detached' });
      expect((await Ticket.findOne({ where: { projectId: project.id } }))?.title).toBe(
        'Typed while the network went away',
      );
      expect(await pageWasNotReloaded(page)).toBe(true);
    } finally {
      await context.close();
      await proxy.close();
    }
  });
});

declare const up: { motion: { config: { enabled: boolean } } };
