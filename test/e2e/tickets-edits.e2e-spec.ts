import { Ticket } from '../../src/tickets/ticket.model';
import { createUser } from '../helpers/factories';
import { Client, signIn, UNPOLY_MODAL, submitForm } from '../helpers/http';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createProject, createTickets } from './tickets-fixtures';

describe('tickets: status changes, edits and stale versions', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const patch = (c: Client, path: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
    submitForm(c, 'patch', path, body, headers);

  async function setup() {
    const alice = await createUser(t, { name: 'Alice' });
    const bob = await createUser(t, { name: 'Bob' });
    const project = await createProject([alice, bob]);
    const [ticket] = await createTickets(project, alice, 1, () => ({
      title: 'Original',
      description: 'Original text',
      priority: 'MEDIUM',
    }));
    const a = await signIn(t.http, alice.email);
    const b = await signIn(t.http, bob.email);
    return { project, ticket, a, b, url: `/projects/${project.id}/tickets/${ticket.id}` };
  }

  const editForm = (ticket: Ticket, changes: Record<string, string>) => ({
    source: 'edit',
    version: String(ticket.version),
    title: ticket.title,
    description: ticket.description,
    priority: ticket.priority,
    status: ticket.status,
    baseTitle: ticket.title,
    baseDescription: ticket.description,
    basePriority: ticket.priority,
    baseStatus: ticket.status,
    ...changes,
  });

  it('saves a status change from the details modal at once: details re-rendered with "Saved", the board told', async () => {
    const { ticket, a, url } = await setup();
    const response = await patch(a, url, {
      source: 'details',
      status: 'IN_PROGRESS',
      version: '0',
      baseStatus: 'OPEN',
    });
    expect(response.status).toBe(200);
    expect(response.headers['x-up-accept-layer']).toBeUndefined();
    expect(JSON.parse(response.headers['x-up-events'])).toEqual([{ type: 'tickets:changed' }]);
    expect(response.text).toContain('id="ticket-saved"');
    expect(response.text).toMatch(/<option value="IN_PROGRESS" selected>/);
    expect(response.text).toContain('name="version" value="1"');
    await ticket.reload();
    expect(ticket).toMatchObject({ status: 'IN_PROGRESS', version: 1, title: 'Original' });
  });

  it('without JavaScript, the status form redirects back to the ticket with a message', async () => {
    const { ticket, a, url } = await setup();
    const response = await patch(a, url, { source: 'details', status: 'DONE', version: '0', baseStatus: 'OPEN' }, {});
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(url);
    expect((await a.page(url)).text).toContain('Saved.');
    await ticket.reload();
    expect(ticket.status).toBe('DONE');
  });

  it('accepts a dropped card from the board with 204', async () => {
    const { ticket, a, url } = await setup();
    const response = await patch(
      a,
      url,
      { source: 'board', status: 'DONE', version: '0', baseStatus: 'OPEN' },
      { 'X-Up-Version': '3.14.3', 'X-CSRF-Token': a.csrf },
    );
    expect(response.status).toBe(204);
    await ticket.reload();
    expect(ticket.status).toBe('DONE');
  });

  it('refuses an unknown status with 422 and a message in the modal', async () => {
    const { ticket, a, url } = await setup();
    const response = await patch(a, url, { source: 'details', status: 'LOST', version: '0' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('id="ticket-problem"');
    expect(response.text).toContain('Choose a status');
    await ticket.reload();
    expect(ticket.status).toBe('OPEN');
  });

  it('re-renders the edit form with 422 and the typed values for an invalid edit', async () => {
    const { ticket, a, url } = await setup();
    const response = await patch(a, url, editForm(ticket, { title: '', description: 'Typed text', priority: 'SOON' }));
    expect(response.status).toBe(422);
    expect(response.text).toContain('data-error-for="title">Enter a title.');
    expect(response.text).toContain('data-error-for="priority">Choose a priority');
    expect(response.text).toContain('>Typed text</textarea>');
    await ticket.reload();
    expect(ticket).toMatchObject({ title: 'Original', version: 0 });
  });

  it('refuses a stale save that touches a field changed meanwhile, with a message in the modal', async () => {
    const { ticket, a, b, url } = await setup();
    const seen = await Ticket.findByPk(ticket.id);
    expect((await patch(b, url, editForm(seen!, { title: 'Bob title' }))).status).toBe(200);
    const stale = await patch(a, url, editForm(seen!, { title: 'Alice title', description: 'Alice text' }));
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('id="ticket-problem"');
    expect(stale.text).toContain('Someone else changed this ticket&#x27;s title while you were editing');
    expect(stale.text).toMatch(/data-current="title">Now: Bob title/);
    expect(stale.text).toContain('value="Alice title"'); // what Alice typed is kept
    expect(stale.text).toContain('name="version" value="1"'); // saving again is based on the current version
    await ticket.reload();
    expect(ticket).toMatchObject({ title: 'Bob title', description: 'Original text', version: 1 });

    // Saving again, now knowingly, goes through.
    const again = await patch(a, url, editForm(ticket, { title: 'Alice title', description: 'Alice text' }));
    expect(again.status).toBe(200);
    await ticket.reload();
    expect(ticket).toMatchObject({ title: 'Alice title', description: 'Alice text', version: 2 });
  });

  it('merges a stale save that touches only other fields', async () => {
    const { ticket, a, b, url } = await setup();
    const seen = (await Ticket.findByPk(ticket.id))!;
    expect((await patch(b, url, editForm(seen, { title: 'Bob title' }))).status).toBe(200);
    const response = await patch(a, url, editForm(seen, { priority: 'CRITICAL', description: 'Alice text' }));
    expect(response.status).toBe(200);
    await ticket.reload();
    expect(ticket).toMatchObject({ title: 'Bob title', priority: 'CRITICAL', description: 'Alice text', version: 2 });
  });

  it('refuses a stale status change when someone moved the ticket meanwhile', async () => {
    const { ticket, a, b, url } = await setup();
    expect(
      (await patch(b, url, { source: 'details', status: 'REVIEW', version: '0', baseStatus: 'OPEN' })).status,
    ).toBe(200);
    const stale = await patch(a, url, { source: 'details', status: 'DONE', version: '0', baseStatus: 'OPEN' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('id="ticket-problem"');
    expect(stale.text).toContain('status while you had it open');
    expect(stale.text).toMatch(/<option value="REVIEW" selected>/);
    await ticket.reload();
    expect(ticket.status).toBe('REVIEW');
  });

  it('accepts a stale status change when only other fields changed meanwhile', async () => {
    const { ticket, a, b, url } = await setup();
    expect((await patch(b, url, editForm(ticket, { title: 'Bob title' }))).status).toBe(200);
    const response = await patch(a, url, { source: 'details', status: 'DONE', version: '0', baseStatus: 'OPEN' });
    expect(response.status).toBe(200);
    await ticket.reload();
    expect(ticket).toMatchObject({ title: 'Bob title', status: 'DONE', version: 2 });
  });

  it('tells someone whose ticket was deleted meanwhile, in the modal, instead of failing', async () => {
    const { ticket, a, url } = await setup();
    await ticket.destroy();
    for (const body of [
      { source: 'details', status: 'DONE', version: '0', baseStatus: 'OPEN' },
      editForm(ticket, { title: 'Too late' }),
    ]) {
      const response = await patch(a, url, body);
      expect(response.status).toBe(404);
      expect(response.text).toContain('This ticket no longer exists in this project');
    }
    const remove = await a.agent.post(url).set(UNPOLY_MODAL).type('form').send({ _csrf: a.csrf, _method: 'delete' });
    expect(remove.status).toBe(404);
    expect(remove.text).toContain('This ticket no longer exists');
  });

  it('refuses a change without a version with 422', async () => {
    const { ticket, a, url } = await setup();
    const response = await patch(a, url, { source: 'details', status: 'DONE' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('missing the ticket version');
    await ticket.reload();
    expect(ticket.status).toBe('OPEN');
  });

  it('shows the edit form with the current values as a modal and as a page', async () => {
    const { a, url } = await setup();
    const page = await a.page(`${url}/edit`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
    expect(page.text).toContain('value="Original"');
    expect(page.text).toContain('>Original text</textarea>');
    expect(page.text).toContain('name="baseTitle" value="Original"');
    expect(page.text).toContain('name="_method" value="patch"');
  });
});
