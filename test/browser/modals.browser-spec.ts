import { Ticket } from '../../src/tickets/ticket.model';
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

const PHONE = { width: 390, height: 844 };
const QUESTION = 'up-modal #discard-changes';

describe('modals (browser): unsaved text, acknowledgements, focus', () => {
  let testbed: BrowserTestbed;

  beforeAll(async () => {
    testbed = await startBrowserTestbed();
  });
  afterAll(() => testbed.close());

  it.each([
    ['desktop', null],
    ['phone', PHONE],
  ])(
    'on a %s, closing a form with unsaved text asks first in a modal (Escape, close button, backdrop); an untouched form closes at once',
    async (_label, viewport) => {
      const member = await createUser(testbed.app);
      const project = await createProject([member]);
      const { page, errors, context } = await openPage(testbed);
      if (viewport) await page.setViewportSize(viewport);
      await signInAs(page, member.email);
      await page.goto(`/projects/${project.id}`);
      await markPage(page);
      let nativeDialogs = 0;
      page.on('dialog', (dialog) => {
        nativeDialogs += 1;
        void dialog.dismiss();
      });

      // Untouched: Escape closes without a question.
      await page.click('#add-ticket');
      await page.waitForSelector(`${MODAL} #ticket-form`);
      await page.focus(`${MODAL} #title`);
      await page.keyboard.press('Escape');
      await page.waitForSelector(MODAL, { state: 'detached' });

      // Typed text, then a first Escape from inside the field: the question, not a blur to <body>.
      await page.click('#add-ticket');
      await page.waitForSelector(`${MODAL} #ticket-form`);
      await page.fill(`${MODAL} #title`, 'Half-written title');
      await page.fill(`${MODAL} #description`, 'Steps I typed');
      await page.focus(`${MODAL} #description`);
      await page.keyboard.press('Escape');
      await page.waitForSelector(QUESTION);
      expect(await page.textContent(QUESTION)).toContain('Discard your changes?');
      await page.click(`${QUESTION} #keep-editing`);
      await page.waitForSelector(QUESTION, { state: 'detached' });
      expect(await page.inputValue(`${MODAL} #title`)).toBe('Half-written title');
      expect(await page.inputValue(`${MODAL} #description`)).toBe('Steps I typed');

      // The close button asks too; Escape on the question keeps the form.
      await page.click(`${MODAL} up-modal-dismiss`);
      await page.waitForSelector(QUESTION);
      await page.keyboard.press('Escape');
      await page.waitForSelector(QUESTION, { state: 'detached' });
      expect(await page.inputValue(`${MODAL} #title`)).toBe('Half-written title');

      // A form shown again with errors still counts what was typed as unsaved.
      await page.fill(`${MODAL} #title`, '');
      await page.click(`${MODAL} #save-ticket`);
      await page.waitForSelector(`${MODAL} [data-error-for="title"]`);
      expect(await page.inputValue(`${MODAL} #description`)).toBe('Steps I typed');

      // The backdrop asks; discarding closes the form, nothing is saved.
      await page.mouse.click(5, 5);
      await page.waitForSelector(QUESTION);
      await page.click(`${QUESTION} #discard-changes-confirm`);
      await page.waitForSelector(MODAL, { state: 'detached' });
      expect(await Ticket.count({ where: { projectId: project.id } })).toBe(0);
      expect(nativeDialogs).toBe(0);
      expect(await pageWasNotReloaded(page)).toBe(true);
      expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
      await context.close();
    },
  );

  it('a saved form closes without a question and is acknowledged by a toast in a live region that survives the refresh beneath', async () => {
    const member = await createUser(testbed.app);
    const project = await createProject([member]);
    const [ticket] = await createTickets(project, member, 1, () => ({ title: 'Old title' }));
    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, member.email);
    await page.goto(`/projects/${project.id}`);
    await markPage(page);

    await page.click('#add-ticket');
    await page.waitForSelector(`${MODAL} #ticket-form`);
    await page.fill(`${MODAL} #title`, 'A new ticket');
    await page.click(`${MODAL} #save-ticket`);
    await page.waitForSelector(MODAL, { state: 'detached' });
    await page.waitForSelector(`#cards-OPEN [data-ticket-card][data-number="2"]`);
    const toast = '#toasts[role=status] [data-toast]';
    await page.waitForSelector(`${toast}:has-text("Ticket #2 added.")`);

    // Editing from its own page (edit modal over the board) is acknowledged as well.
    await page.goto(`/projects/${project.id}`);
    await page.evaluate((url) => up.layer.open({ url }), `/projects/${project.id}/tickets/${ticket.id}/edit`);
    await page.waitForSelector(`${MODAL} #ticket-form`);
    await page.fill(`${MODAL} #title`, 'New title');
    await page.click(`${MODAL} #save-ticket`);
    await page.waitForSelector(MODAL, { state: 'detached' });
    await page.waitForSelector(`${toast}:has-text("Ticket saved.")`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it.each([
    ['desktop', null],
    ['phone', PHONE],
  ])(
    'on a %s, focus moves into a named dialog, stays on the status control after a change, and returns to the opener on Escape',
    async (_label, viewport) => {
      const member = await createUser(testbed.app);
      const project = await createProject([member]);
      await createTickets(project, member, 1, () => ({ title: 'Focus me' }));
      const { page, errors, context } = await openPage(testbed);
      if (viewport) await page.setViewportSize(viewport);
      await signInAs(page, member.email);
      await page.goto(`/projects/${project.id}`);
      const opener = '#cards-OPEN [data-ticket-card][data-number="1"] a.ticket-link';
      await page.focus(opener);
      await page.keyboard.press('Enter');
      await page.waitForSelector(`${MODAL} #ticket-details`);
      await page.waitForFunction(() => document.querySelector('up-modal')?.contains(document.activeElement));

      const name = await page.evaluate(() => {
        const dialog = document.querySelector('up-modal [role=dialog]');
        const id = dialog?.getAttribute('aria-labelledby');
        return id ? document.getElementById(id)?.textContent : null;
      });
      expect(name).toContain('Focus me');

      await page.focus(`${MODAL} #ticket-status`);
      await page.selectOption(`${MODAL} #ticket-status`, 'REVIEW');
      await page.waitForSelector(`${MODAL} #ticket-saved`);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('ticket-status');

      await page.keyboard.press('Escape');
      await page.waitForSelector(MODAL, { state: 'detached' });
      // The board reloaded beneath (the card moved), so the opener is the same ticket's link.
      await page.waitForFunction(
        () => document.activeElement?.closest('[data-ticket-card]')?.getAttribute('data-number') === '1',
      );
      expect(errors).toEqual([]);
      await context.close();
    },
  );
});

declare const up: { layer: { open(options: { url: string }): Promise<unknown> } };
