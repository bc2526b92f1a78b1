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

describe('tickets (browser): use cases 3.1 and 3.2', () => {
  let testbed: BrowserTestbed;

  beforeAll(async () => {
    testbed = await startBrowserTestbed();
  });
  afterAll(() => testbed.close());

  const card = (status: string, number: number) => `#cards-${status} [data-ticket-card][data-number="${number}"]`;

  it('3.1: adds a ticket in a modal: errors in the same modal, then it closes and the board shows the ticket, without reload', async () => {
    const member = await createUser(testbed.app, { name: 'Uma User' });
    const project = await createProject([member]);
    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, member.email);
    await page.goto(`/projects/${project.id}`);
    await markPage(page);

    await page.click('#add-ticket');
    await page.waitForSelector(`${MODAL} #ticket-form`);
    expect(await page.inputValue(`${MODAL} #priority`)).toBe('MEDIUM');
    expect(await page.inputValue(`${MODAL} #status`)).toBe('OPEN');

    // An empty title: the errors come back in the same modal.
    await page.fill(`${MODAL} #description`, 'Steps: **click** save');
    await page.click(`${MODAL} #save-ticket`);
    await page.waitForSelector(`${MODAL} [data-error-for="title"]`);
    expect(await page.textContent(`${MODAL} [data-error-for="title"]`)).toBe('Enter a title.');
    expect(await page.inputValue(`${MODAL} #description`)).toBe('Steps: **click** save');
    expect(await pageWasNotReloaded(page)).toBe(true);

    // The preview shows the Markdown as the details will.
    await page.waitForSelector(`${MODAL} #description-preview strong`);
    expect(await page.textContent(`${MODAL} #description-preview strong`)).toBe('click');

    await page.fill(`${MODAL} #title`, 'Save button does nothing');
    await page.click(`${MODAL} #save-ticket`);
    await page.waitForSelector(MODAL, { state: 'detached' });
    await page.waitForSelector(card('OPEN', 1));
    expect(await page.textContent(`${card('OPEN', 1)} .ticket-title`)).toBe('Save button does nothing');
    expect(await pageWasNotReloaded(page)).toBe(true);

    const ticket = await Ticket.findOne({ where: { projectId: project.id } });
    expect(ticket).toMatchObject({ number: 1, reporterId: member.id, description: 'Steps: **click** save' });
    // The invalid submit answers 422 on purpose; that is the only expected error.
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
    await context.close();
  });

  it('3.2: opens a ticket, changes its status in the modal (saved, card moves, survives a reload), then drags it to DONE', async () => {
    const member = await createUser(testbed.app, { name: 'Dee Dragger' });
    const project = await createProject([member]);
    await createTickets(project, member, 2, (i) => ({
      title: `Ticket ${i + 1}`,
      description: i === 1 ? '## Details\n\nIt *breaks*' : '',
    }));
    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, member.email);
    await page.goto(`/projects/${project.id}`);
    await markPage(page);

    await page.click(`${card('OPEN', 2)} a.ticket-link`);
    await page.waitForSelector(`${MODAL} #ticket-details`);
    expect(await page.textContent(`${MODAL} #ticket-description em`)).toBe('breaks');
    expect(await page.textContent(`${MODAL} #ticket-reporter`)).toContain('Dee Dragger');

    await page.selectOption(`${MODAL} #ticket-status`, 'IN_PROGRESS');
    await page.waitForSelector(`${MODAL} #ticket-saved`);
    await page.waitForSelector(card('IN_PROGRESS', 2)); // the board underneath, still behind the modal
    expect(await page.$(card('OPEN', 2))).toBeNull();
    expect(await pageWasNotReloaded(page)).toBe(true);

    await page.keyboard.press('Escape');
    await page.waitForSelector(MODAL, { state: 'detached' });
    await page.reload();
    await page.waitForSelector(card('IN_PROGRESS', 2));

    // Drag and drop a card to DONE.
    await markPage(page);
    await page.dragAndDrop(card('IN_PROGRESS', 2), '#column-DONE');
    await page.waitForSelector('#board-message[data-state="saved"]', { state: 'attached' });
    await page.waitForSelector(card('DONE', 2));
    expect(await pageWasNotReloaded(page)).toBe(true);
    const moved = await Ticket.findOne({ where: { projectId: project.id, number: 2 } });
    expect(moved?.status).toBe('DONE');
    await page.reload();
    await page.waitForSelector(card('DONE', 2));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens a modal URL directly as a full page', async () => {
    const member = await createUser(testbed.app);
    const project = await createProject([member]);
    const [ticket] = await createTickets(project, member, 1, () => ({ title: 'Deep link' }));
    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, member.email);
    for (const path of [
      `/projects/${project.id}/tickets/${ticket.id}`,
      `/projects/${project.id}/tickets/${ticket.id}/edit`,
      `/projects/${project.id}/tickets/new`,
    ]) {
      await page.goto(path);
      await page.waitForSelector('#navbar');
      expect(await page.$(MODAL)).toBeNull();
    }
    expect(await page.textContent('h1')).toContain('Add ticket');
    expect(errors).toEqual([]);
    await context.close();
  });
});
