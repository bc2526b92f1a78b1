import request from 'supertest';
import { Ticket } from '../../src/tickets/ticket.model';
import { TicketsService } from '../../src/tickets/tickets.service';
import { createUser } from '../helpers/factories';
import { Client, signIn, UNPOLY_MODAL, submitForm } from '../helpers/http';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createProject, createTickets } from './tickets-fixtures';

describe('tickets: create, details, permissions', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const post = (c: Client, path: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
    submitForm(c, 'post', path, body, headers);

  async function memberWithProject() {
    const member = await createUser(t, { name: 'Mia Member' });
    const project = await createProject([member]);
    const c = await signIn(t.http, member.email);
    await c.page(`/projects/${project.id}`);
    return { member, project, c };
  }

  describe('create (use case 3.1)', () => {
    it('shows the form with MEDIUM and OPEN preselected, as a modal and as a page', async () => {
      const { project, c } = await memberWithProject();
      const page = await c.page(`/projects/${project.id}/tickets/new`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<html'); // a deep link renders the full page
      expect(page.text).toMatch(/<option value="MEDIUM" selected>/);
      expect(page.text).toMatch(/<option value="OPEN" selected>/);
      expect(page.text).toContain(`action="/projects/${project.id}/tickets"`);
      expect(page.text).toContain('data-markdown-preview');
    });

    it.each([
      ['an empty title', { title: '   ' }, 'title', 'Enter a title.'],
      ['a 201-character title', { title: 'x'.repeat(201) }, 'title', 'Keep the title to 200 characters or fewer.'],
      ['an unknown status', { title: 'Fine', status: 'WONTFIX' }, 'status', 'Choose a status'],
      ['an unknown priority', { title: 'Fine', priority: 'URGENT' }, 'priority', 'Choose a priority'],
    ])(
      'refuses %s with 422, the message beside the field and what was typed kept',
      async (_label, input, field, message) => {
        const { project, c } = await memberWithProject();
        const response = await post(c, `/projects/${project.id}/tickets`, { description: 'Kept *text*', ...input });
        expect(response.status).toBe(422);
        expect(response.headers['x-up-accept-layer']).toBeUndefined();
        expect(response.text).toMatch(new RegExp(`data-error-for="${field}">${message}`));
        expect(response.text).toContain('id="ticket-form"');
        expect(response.text).toContain('>Kept *text*</textarea>');
        expect(await Ticket.count({ where: { projectId: project.id } })).toBe(0);
        await project.reload();
        expect(project.ticketSeq).toBe(0);
      },
    );

    it('accepts exactly 200 characters', async () => {
      const { project, c } = await memberWithProject();
      const response = await post(c, `/projects/${project.id}/tickets`, { title: 'y'.repeat(200) });
      expect(response.status).toBe(200);
      expect((await Ticket.findOne({ where: { projectId: project.id } }))?.title).toBe('y'.repeat(200));
    });

    it('creates the ticket with the signed-in reporter and number 1, closes the modal and tells the board', async () => {
      const { member, project, c } = await memberWithProject();
      const response = await post(c, `/projects/${project.id}/tickets`, {
        title: '  Login button is blue  ',
        description: 'Should be *green*',
        priority: 'HIGH',
        status: 'REVIEW',
        reporterId: 'someone-else',
        number: '99',
      });
      expect(response.status).toBe(200);
      expect(response.headers['x-up-accept-layer']).toBe('null');
      expect(JSON.parse(response.headers['x-up-events'])).toEqual([
        { type: 'tickets:changed' },
        { type: 'app:toast', message: 'Ticket #1 added.' },
      ]);
      const ticket = await Ticket.findOne({ where: { projectId: project.id } });
      expect(ticket).toMatchObject({
        title: 'Login button is blue',
        description: 'Should be *green*',
        priority: 'HIGH',
        status: 'REVIEW',
        number: 1,
        reporterId: member.id,
      });
      const board = await c.page(`/projects/${project.id}`);
      expect(board.text).toMatch(/id="cards-REVIEW">\s*<li[^>]*data-number="1"/);
    });

    it('without Unpoly, redirects to the board after a valid submit (303)', async () => {
      const { project, c } = await memberWithProject();
      const response = await post(c, `/projects/${project.id}/tickets`, { title: 'Plain form' }, {});
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(`/projects/${project.id}`);
    });

    it('defaults priority and status when the form leaves them out', async () => {
      const { project, c } = await memberWithProject();
      await post(c, `/projects/${project.id}/tickets`, { title: 'Bare' });
      expect(await Ticket.findOne({ where: { projectId: project.id } })).toMatchObject({
        priority: 'MEDIUM',
        status: 'OPEN',
      });
    });

    it('needs a CSRF token', async () => {
      const { project, c } = await memberWithProject();
      const response = await c.agent.post(`/projects/${project.id}/tickets`).type('form').send({ title: 'No token' });
      expect(response.status).toBe(403);
      expect(await Ticket.count({ where: { projectId: project.id } })).toBe(0);
    });

    it('numbers tickets created at the same moment without gaps or duplicates (HTTP)', async () => {
      const { project, c } = await memberWithProject();
      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, i) => post(c, `/projects/${project.id}/tickets`, { title: `Concurrent ${i}` })),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
      const numbers = (await Ticket.findAll({ where: { projectId: project.id } }))
        .map((ticket) => ticket.number)
        .sort((a, b) => a - b);
      expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('numbers tickets without gaps or duplicates under 25 simultaneous creates in two projects', async () => {
      const reporter = await createUser(t);
      const [a, b] = [await createProject([reporter]), await createProject([reporter])];
      const service = t.get(TicketsService);
      await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          service.create(i % 2 ? a : b, reporter, {
            title: `Race ${i}`,
            description: '',
            priority: 'LOW',
            status: 'OPEN',
          }),
        ),
      );
      for (const [project, expected] of [
        [a, 12],
        [b, 13],
      ] as const) {
        const numbers = (await Ticket.findAll({ where: { projectId: project.id } }))
          .map((ticket) => ticket.number)
          .sort((x, y) => x - y);
        expect(numbers).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
        await project.reload();
        expect(project.ticketSeq).toBe(expected);
      }
    }, 60_000);
  });

  describe('details (use case 3.2)', () => {
    it('shows the rendered Markdown, reporter, times, status and priority; a deep link is a full page', async () => {
      const { member, project, c } = await memberWithProject();
      const [ticket] = await createTickets(project, member, 1, () => ({
        title: 'Crash on save',
        description: '# Steps\n\n1. Open\n2. **Save**',
        priority: 'CRITICAL',
        status: 'IN_PROGRESS',
      }));
      const page = await c.page(`/projects/${project.id}/tickets/${ticket.id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<html');
      expect(page.text).toContain('<h1>Steps</h1>');
      expect(page.text).toContain('<li><strong>Save</strong></li>');
      expect(page.text).toContain('Mia Member');
      expect(page.text).toMatch(/<option value="IN_PROGRESS" selected>/);
      expect(page.text).toContain('data-priority="CRITICAL"');
      expect(page.text).toMatch(/Created<\/dt>\s*<dd[^>]*><time datetime="[^"]+">/);
      expect(page.text).toMatch(/Updated<\/dt>/);
    });

    it('renders XSS payloads in title and description inert', async () => {
      const { project, c } = await memberWithProject();
      const title = '<script>alert("t")</script><img src=x onerror=alert(1)>';
      const description = [
        '<script>alert("d")</script>',
        '<img src=x onerror=alert(2)>',
        '[click me](javascript:alert(3))',
        '<a href="javascript:alert(4)">raw</a>',
        '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==)',
      ].join('\n\n');
      expect((await post(c, `/projects/${project.id}/tickets`, { title, description })).status).toBe(200);
      const ticket = (await Ticket.findOne({ where: { projectId: project.id } }))!;
      for (const path of [
        `/projects/${project.id}/tickets/${ticket.id}`,
        `/projects/${project.id}`,
        `/projects/${project.id}?view=list`,
      ]) {
        const html = (await c.page(path)).text;
        const main = html.slice(html.indexOf('<main'));
        expect(main).not.toMatch(/<script|<img|href="javascript:|href="data:/i);
        expect(main).not.toMatch(/<[a-z][^>]*\son\w+=/i); // no event-handler attribute inside any tag
        expect(main).toContain('&lt;script&gt;');
      }
      const details = (await c.page(`/projects/${project.id}/tickets/${ticket.id}`)).text;
      expect(details).toContain('[click me](javascript:alert(3))'); // left as text, not a link
    });

    it('answers 404 with a clear message for a ticket of another project, a malformed id or a deleted ticket', async () => {
      const { member, project, c } = await memberWithProject();
      const other = await createProject([member]);
      const [foreign] = await createTickets(other, member, 1);
      const [gone] = await createTickets(project, member, 1);
      await gone.destroy();
      for (const id of [foreign.id, 'not-a-uuid', gone.id]) {
        for (const suffix of ['', '/edit', '/delete']) {
          const response = await c.agent.get(`/projects/${project.id}/tickets/${id}${suffix}`);
          expect(response.status).toBe(404);
        }
      }
      const response = await c.agent.get(`/projects/${project.id}/tickets/${gone.id}`).set(UNPOLY_MODAL);
      expect(response.text).toContain('This ticket no longer exists');
      const patch = await post(c, `/projects/${project.id}/tickets/${foreign.id}`, {
        _method: 'patch',
        status: 'DONE',
        version: '0',
        source: 'details',
      });
      expect(patch.status).toBe(404);
      const remove = await post(c, `/projects/${project.id}/tickets/${foreign.id}`, { _method: 'delete' });
      expect(remove.status).toBe(404);
      await foreign.reload();
      expect(foreign.status).toBe('OPEN');
    });

    it('answers 404 to someone outside the project, for every ticket route', async () => {
      const { member, project } = await memberWithProject();
      const [ticket] = await createTickets(project, member, 1);
      const outsider = await createUser(t);
      const c = await signIn(t.http, outsider.email);
      for (const path of ['', '/tickets/new', `/tickets/${ticket.id}`, `/tickets/${ticket.id}/edit`]) {
        expect((await c.agent.get(`/projects/${project.id}${path}`)).status).toBe(404);
      }
      expect((await post(c, `/projects/${project.id}/tickets`, { title: 'Sneaky' })).status).toBe(404);
      expect(
        (
          await post(c, `/projects/${project.id}/tickets/${ticket.id}`, {
            _method: 'patch',
            title: 'Sneaky',
            version: '0',
          })
        ).status,
      ).toBe(404);
      expect((await post(c, `/projects/${project.id}/tickets/${ticket.id}`, { _method: 'delete' })).status).toBe(404);
      expect(await Ticket.count({ where: { projectId: project.id } })).toBe(1);
    });

    it('sends anonymous visitors to the login page', async () => {
      const { member, project } = await memberWithProject();
      const [ticket] = await createTickets(project, member, 1);
      const response = await request(t.http).get(`/projects/${project.id}/tickets/${ticket.id}`);
      expect(response.status).toBe(303);
      expect(response.headers.location).toMatch(/^\/login\?next=/);
    });
  });

  describe('delete permissions', () => {
    it('lets the reporter delete after a confirmation, closing the modal and telling the board', async () => {
      const { member, project, c } = await memberWithProject();
      const [ticket] = await createTickets(project, member, 1);
      const details = await c.page(`/projects/${project.id}/tickets/${ticket.id}`);
      expect(details.text).toContain('id="delete-ticket"');
      const confirm = await c.page(`/projects/${project.id}/tickets/${ticket.id}/delete`);
      expect(confirm.status).toBe(200);
      expect(confirm.text).toContain('id="confirm-delete"');
      expect(confirm.text).toContain('name="_method" value="delete"');
      const response = await post(c, `/projects/${project.id}/tickets/${ticket.id}`, { _method: 'delete' });
      expect(response.status).toBe(200);
      expect(response.headers['x-up-accept-layer']).toBe('null');
      expect(JSON.parse(response.headers['x-up-events'])).toEqual([
        { type: 'tickets:changed' },
        { type: 'app:toast', message: `Ticket #${ticket.number} was deleted.` },
      ]);
      expect(await Ticket.findByPk(ticket.id)).toBeNull();
    });

    it("lets a manager delete anyone's ticket", async () => {
      const { member, project } = await memberWithProject();
      const [ticket] = await createTickets(project, member, 1);
      const manager = await createUser(t, { role: 'MANAGER' });
      const c = await signIn(t.http, manager.email);
      expect((await c.page(`/projects/${project.id}/tickets/${ticket.id}`)).text).toContain('id="delete-ticket"');
      expect((await post(c, `/projects/${project.id}/tickets/${ticket.id}`, { _method: 'delete' }, {})).status).toBe(
        303,
      );
      expect(await Ticket.findByPk(ticket.id)).toBeNull();
    });

    it('lets another member edit but not delete: no button, and 404 on the routes', async () => {
      const { member, project } = await memberWithProject();
      const colleague = await createUser(t);
      await createProject([]); // unrelated project, must not matter
      const { ProjectMember } = await import('../../src/projects/project-member.model');
      await ProjectMember.create({ projectId: project.id, userId: colleague.id });
      const [ticket] = await createTickets(project, member, 1);
      const c = await signIn(t.http, colleague.email);
      const details = await c.page(`/projects/${project.id}/tickets/${ticket.id}`);
      expect(details.status).toBe(200);
      expect(details.text).toContain('id="edit-ticket"');
      expect(details.text).not.toContain('id="delete-ticket"');
      expect((await c.agent.get(`/projects/${project.id}/tickets/${ticket.id}/delete`)).status).toBe(404);
      expect((await post(c, `/projects/${project.id}/tickets/${ticket.id}`, { _method: 'delete' })).status).toBe(404);
      expect(await Ticket.findByPk(ticket.id)).not.toBeNull();

      const edit = await c.page(`/projects/${project.id}/tickets/${ticket.id}/edit`);
      expect(edit.status).toBe(200);
      const saved = await post(c, `/projects/${project.id}/tickets/${ticket.id}`, {
        _method: 'patch',
        source: 'edit',
        version: '0',
        title: 'Edited by a colleague',
        description: 'New text',
        priority: 'LOW',
        status: 'OPEN',
      });
      expect(saved.status).toBe(200);
      expect(saved.headers['x-up-accept-layer']).toBe('null');
      await ticket.reload();
      expect(ticket).toMatchObject({
        title: 'Edited by a colleague',
        description: 'New text',
        priority: 'LOW',
        version: 1,
      });
    });
  });

  describe('Markdown preview', () => {
    it('renders posted Markdown as a fragment, with raw HTML off', async () => {
      const { project, c } = await memberWithProject();
      const response = await post(
        c,
        `/projects/${project.id}/tickets/preview`,
        { description: '**bold** <script>x</script>' },
        { 'X-Up-Version': '3.14.3', 'X-Up-Target': '#description-preview' },
      );
      expect(response.status).toBe(200);
      expect(response.text).toContain(
        '<div class="card-body markdown" id="description-preview"><p><strong>bold</strong> &lt;script&gt;x&lt;/script&gt;</p>',
      );
      expect(response.text).not.toContain('<html');
    });

    it('needs a CSRF token', async () => {
      const { project, c } = await memberWithProject();
      expect(
        (await c.agent.post(`/projects/${project.id}/tickets/preview`).type('form').send({ description: 'x' })).status,
      ).toBe(403);
    });
  });
});
