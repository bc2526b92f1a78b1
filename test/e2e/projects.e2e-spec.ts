import { PreparedReads } from '../../src/database/prepared-reads';
import { Invitation } from '../../src/invitations/invitation.model';
import { DASHBOARD_PAGE_SIZE } from '../../src/projects/dashboard.service';
import { ProjectMember } from '../../src/projects/project-member.model';
import { Project } from '../../src/projects/project.model';
import { Ticket } from '../../src/tickets/ticket.model';
import { createUser } from '../helpers/factories';
import { signIn, UNPOLY_MODAL } from '../helpers/http';
import { createInvitation, createProject, createTicket, uniqueName } from '../helpers/project-factories';
import { countQueries } from '../helpers/query-counter';
import { startTestApp, TestApp } from '../helpers/test-app';

/** The ids of the project cards on a dashboard page. */
const cardIds = (html: string) =>
  [...html.matchAll(/class="card h-100 project-card" data-project-id="([^"]+)"/g)].map((m) => m[1]);

describe('dashboard', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('shows a member only their projects, never another project, and the other one answers 404 by URL', async () => {
    const alice = await createUser(t);
    const bob = await createUser(t);
    const projectA = await createProject({ name: uniqueName('Alpha'), members: [alice] });
    const projectB = await createProject({
      name: uniqueName('Bravo'),
      description: 'Bravo secret plans',
      members: [bob],
    });
    const c = await signIn(t.http, alice.email);

    const dashboard = await c.page('/');
    expect(dashboard.status).toBe(200);
    expect(cardIds(dashboard.text)).toEqual([projectA.id]);
    expect(dashboard.text).toContain(projectA.name);
    expect(dashboard.text).not.toContain(projectB.name);
    expect(dashboard.text).not.toContain(projectB.id);

    for (const path of [
      `/projects/${projectB.id}/edit`,
      `/projects/${projectB.id}/members`,
      `/projects/${projectB.id}/delete`,
    ]) {
      const response = await c.agent.get(path);
      expect(response.status).toBe(404);
      expect(response.text).not.toContain(projectB.name);
      expect(response.text).not.toContain('Bravo secret plans');
    }
  });

  it('shows a card with the description excerpt, member avatars and ticket counts per status', async () => {
    const member = await createUser(t, { name: 'Ada Lovelace' });
    const other = await createUser(t, { name: 'Grace Hopper' });
    const project = await createProject({
      description: `First **line** of the plan. ${'x'.repeat(300)}`,
      members: [member, other],
    });
    for (const status of ['OPEN', 'OPEN', 'IN_PROGRESS', 'DONE'] as const)
      await createTicket(project, member, { status });
    const c = await signIn(t.http, member.email);

    const html = (await c.page('/')).text;
    const card = html.slice(html.indexOf(`data-project-id="${project.id}"`));
    // The excerpt is the description's words, without its Markdown.
    expect(card).toContain('First line of the plan.');
    expect(card).toContain('…');
    expect(card).not.toContain('x'.repeat(200));
    expect(card).toMatch(/data-status="OPEN">[^]*?Open <strong>2<\/strong>/);
    expect(card).toMatch(/data-status="IN_PROGRESS">[^]*?In progress <strong>1<\/strong>/);
    expect(card).toMatch(/data-status="REVIEW">[^]*?Review <strong>0<\/strong>/);
    expect(card).toMatch(/data-status="DONE">[^]*?Done <strong>1<\/strong>/);
    expect(card).toContain('title="Ada Lovelace"');
    expect(card).toContain('title="Grace Hopper"');
    expect(card).toContain('>AL<');
  });

  it('shows the first five members of a crowded project and counts the rest; a manager who joined last is marked a member', async () => {
    const people = [];
    for (let i = 0; i < 11; i++) people.push(await createUser(t, { name: `Crowd ${String(i).padStart(2, '0')}` }));
    people.push(await createUser(t, { name: 'Crowd 11', role: 'MANAGER' }));
    // Joined one a minute: the card shows the earliest five, whatever their ids.
    const project = await createProject({ name: `000 Crowded ${uniqueName()}` });
    const joined = Date.now() - people.length * 60_000;
    await ProjectMember.bulkCreate(
      people.map((person, i) => ({
        projectId: project.id,
        userId: person.id,
        createdAt: new Date(joined + i * 60_000),
      })),
    );
    const c = await signIn(t.http, people[people.length - 1].email);

    const html = (await c.page('/')).text;
    expect(html).toContain(`data-project-id="${project.id}"`);
    const card = html.slice(html.indexOf(`data-project-id="${project.id}"`));
    expect(/data-testid="membership">([^<]+)</.exec(card)?.[1]).toBe('Member');
    const stack = /data-testid="members" data-count="(\d+)">([^]*?)<\/div>/.exec(card)!;
    expect(stack[1]).toBe('12');
    expect([...stack[2].matchAll(/title="(Crowd \d+)"/g)].map((m) => m[1])).toEqual(
      people.slice(0, 5).map((person) => person.name),
    );
    expect(stack[2]).toContain('+7');
  });

  it('shows a manager every project, marked whether they are a member', async () => {
    const manager = await createUser(t, { role: 'MANAGER' });
    const someone = await createUser(t);
    const mine = await createProject({ members: [manager] });
    const notMine = await createProject({ members: [someone] });
    const c = await signIn(t.http, manager.email);
    // Other tests add projects too; find ours on whichever page they are.
    const badgeOf = async (id: string) => {
      for (let page = 1; page < 100; page++) {
        const html = (await c.page(`/?page=${page}`)).text;
        const at = html.indexOf(`data-project-id="${id}"`);
        if (at >= 0) return /data-testid="membership">([^<]+)</.exec(html.slice(at))?.[1];
        if (!html.includes('rel="next"')) return undefined;
      }
    };
    expect(await badgeOf(mine.id)).toBe('Member');
    expect(await badgeOf(notMine.id)).toBe('Not a member');
  });

  it('guides a member without projects: a manager will add them', async () => {
    const member = await createUser(t);
    const c = await signIn(t.http, member.email);
    const html = (await c.page('/')).text;
    expect(html).toContain('You are not in any project yet. A manager will add you.');
    expect(html).not.toContain('Create your first project');
    expect(html).not.toContain('href="/projects/new"');
  });

  it('pages through many projects', async () => {
    const member = await createUser(t);
    const projects = [];
    for (let i = 0; i < DASHBOARD_PAGE_SIZE + 2; i++)
      projects.push(
        await createProject({ name: `Paged ${String(i).padStart(2, '0')} ${member.id}`, members: [member] }),
      );
    const c = await signIn(t.http, member.email);
    const first = await c.page('/');
    const second = await c.page('/?page=2');
    expect(cardIds(first.text)).toHaveLength(DASHBOARD_PAGE_SIZE);
    expect(cardIds(second.text)).toHaveLength(2);
    expect([...cardIds(first.text), ...cardIds(second.text)].sort()).toEqual(projects.map((p) => p.id).sort());
    expect(first.text).toContain('rel="next"');
    expect((await c.page('/?page=999')).status).toBe(200);
  });

  it('reuses a rendered card until something it shows changes, then shows the change', async () => {
    const viewer = await createUser(t, { name: 'Card Viewer' });
    const colleague = await createUser(t, { name: 'Card Colleague' });
    const project = await createProject({
      name: uniqueName('Kept'),
      description: 'Before',
      members: [viewer, colleague],
    });
    const c = await signIn(t.http, viewer.email);
    const reads = t.get(PreparedReads);

    // The card as the dashboard shows it, and whether the view read the cards (rendered them anew).
    const view = async () => {
      const read = jest.spyOn(reads, 'rows');
      try {
        const html = (await c.page('/')).text;
        const start = html.indexOf(`data-project-id="${project.id}"`);
        const card = html.slice(start, html.indexOf('</div>\n</div>', start));
        return { card, cardsRead: read.mock.calls.some(([statement]) => statement.name.startsWith('dashboard-cards')) };
      } finally {
        read.mockRestore();
      }
    };
    await view();
    expect((await view()).cardsRead).toBe(false);

    const newcomer = await createUser(t, { name: 'Card Newcomer' });
    const changes: [string, () => Promise<unknown>, (card: string) => boolean][] = [
      [
        'rename',
        () => Project.update({ name: `${project.name} renamed` }, { where: { id: project.id } }),
        (card) => card.includes(`${project.name} renamed`),
      ],
      [
        'new description',
        () => Project.update({ description: 'After' }, { where: { id: project.id } }),
        (card) => card.includes('After'),
      ],
      ['a ticket', () => createTicket(project, viewer, { status: 'REVIEW' }), (card) => /Review <strong>1</.test(card)],
      [
        'a member joins',
        () => ProjectMember.create({ projectId: project.id, userId: newcomer.id }),
        (card) => card.includes('title="Card Newcomer"'),
      ],
      [
        'a member is renamed',
        () => colleague.update({ name: 'Card Partner' }),
        (card) => card.includes('title="Card Partner"'),
      ],
      [
        'a member leaves',
        () => ProjectMember.destroy({ where: { projectId: project.id, userId: newcomer.id } }),
        (card) => !card.includes('Card Newcomer'),
      ],
      [
        'a member is deleted',
        () => colleague.destroy(),
        (card) => !card.includes('Card Partner') && card.includes('data-count="1"'),
      ],
    ];
    for (const [change, write, shows] of changes) {
      await write();
      const after = await view();
      expect({ change, cardsRead: after.cardsRead, shows: shows(after.card) }).toEqual({
        change,
        cardsRead: true,
        shows: true,
      });
      expect({ change, reused: !(await view()).cardsRead }).toEqual({ change, reused: true });
    }
    // Someone else's change leaves the card as it was.
    await createUser(t).then((stranger) => stranger.update({ name: 'Not on the card' }));
    expect((await view()).cardsRead).toBe(false);
  });

  it('runs the same number of SQL statements for 1 project and for 50', async () => {
    const few = await createUser(t);
    const many = await createUser(t);
    const reporter = await createUser(t);
    const one = await createProject({ members: [few, reporter] });
    await createTicket(one, reporter);
    for (let i = 0; i < 50; i++) {
      const project = await createProject({ members: [many, reporter] });
      await createTicket(project, reporter, { status: i % 2 ? 'DONE' : 'OPEN' });
    }
    const cFew = await signIn(t.http, few.email);
    const cMany = await signIn(t.http, many.email);

    // Fewest statements over three requests: anything else running on the connection (a
    // background job, a session cleanup) can only add statements, never remove the request's own.
    const measure = async (c: typeof cFew) => {
      const runs = [];
      for (let i = 0; i < 3; i++) {
        let html = '';
        const { count } = await countQueries(t.sequelize, async () => {
          html = (await c.agent.get('/')).text;
        });
        runs.push({ count, cards: cardIds(html).length, total: /data-total="(\d+)"/.exec(html)?.[1] });
      }
      return { ...runs[0], count: Math.min(...runs.map((run) => run.count)) };
    };
    const forOne = await measure(cFew);
    const forFifty = await measure(cMany);
    expect(forOne).toMatchObject({ cards: 1, total: '1' });
    expect(forFifty).toMatchObject({ cards: DASHBOARD_PAGE_SIZE, total: '50' });
    expect(forFifty.count).toBe(forOne.count);
    // One statement: the signed-in context with the page's card keys, the total and the page of
    // "Assigned to me" (its cards are kept rendered: the first view read them in one more).
    expect(forOne.count).toBe(1);
  });
});

describe('project create, edit and delete', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('offers a manager without projects to create the first one', async () => {
    // A manager sees every project and other tests add some, so render the real view with none.
    const manager = await createUser(t, { role: 'MANAGER' });
    const express = t.app.getHttpAdapter().getInstance();
    const html = await new Promise<string>((resolve, reject) =>
      express.render('projects/dashboard', { currentUser: manager, cards: [], total: 0 }, (error, out) =>
        error ? reject(error) : resolve(out),
      ),
    );
    expect(html).toContain('id="projects-empty"');
    expect(html).toMatch(/href="\/projects\/new" up-layer="new modal">Create your first project</);
    expect(html).not.toContain('A manager will add you');
  });

  it('shows the new project form to a manager, as a page and in a modal', async () => {
    const manager = await createUser(t, { role: 'MANAGER' });
    const c = await signIn(t.http, manager.email);
    const page = await c.agent.get('/projects/new');
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="name"');
    const modal = await c.agent.get('/projects/new').set(UNPOLY_MODAL);
    expect(modal.status).toBe(200);
    expect(modal.text).toContain('id="project-form"');
  });

  it('rejects an empty name and a 201-character name with 422 and the message, writing nothing', async () => {
    const manager = await createUser(t, { role: 'MANAGER' });
    const c = await signIn(t.http, manager.email);
    const before = await Project.count({ where: { createdBy: manager.id } });

    const empty = await c.agent
      .post('/projects')
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ name: '   ', description: 'kept text', _csrf: c.csrf });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Enter a name for the project.');
    expect(empty.text).toContain('kept text');
    expect(empty.headers['x-up-accept-layer']).toBeUndefined();

    const long = await c.agent
      .post('/projects')
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ name: 'n'.repeat(201), _csrf: c.csrf });
    expect(long.status).toBe(422);
    expect(long.text).toContain('Keep the name to 200 characters.');

    const missing = await c.agent.post('/projects').type('form').send({ _csrf: c.csrf });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Enter a name for the project.');

    const weird = await c.agent
      .post('/projects')
      .type('form')
      .send(`name=a&name=b&description[x]=1&_csrf=${encodeURIComponent(c.csrf)}`);
    expect(weird.status).toBe(422);
    // Nothing in the app sends JSON: it is refused before validation.
    const json = await c.agent.post('/projects').send({ name: ['a', 'b'], description: { x: 1 }, _csrf: c.csrf });
    expect(json.status).toBe(415);

    expect(await Project.count({ where: { createdBy: manager.id } })).toBe(before);
  });

  it('creates a 200-character project in a modal: closes it, tells the dashboard, makes the creator a member', async () => {
    const manager = await createUser(t, { role: 'MANAGER' });
    const c = await signIn(t.http, manager.email);
    const name = `${uniqueName('Created')} `.padEnd(200, 'z');
    const response = await c.agent
      .post('/projects')
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ name, description: '<b>bold</b> plans', _csrf: c.csrf });
    expect(response.status).toBe(200);
    expect(response.headers['x-up-accept-layer']).toBe('null');
    expect(JSON.parse(response.headers['x-up-events'])).toEqual([
      { type: 'projects:changed' },
      { type: 'app:toast', message: `Project ${name.trim()} created.` },
    ]);

    const project = await Project.findOne({ where: { name } });
    expect(project).not.toBeNull();
    expect(project!.createdBy).toBe(manager.id);
    expect(project!.description).toBe('<b>bold</b> plans');
    expect(await ProjectMember.count({ where: { projectId: project!.id, userId: manager.id } })).toBe(1);

    // The description is escaped wherever it shows.
    const edit = await c.agent.get(`/projects/${project!.id}/edit`);
    expect(edit.text).toContain('&lt;b&gt;bold&lt;/b&gt; plans');
    expect(edit.text).not.toContain('<b>bold</b>');
  });

  it('redirects (303) to the dashboard after a plain form submit', async () => {
    const manager = await createUser(t, { role: 'MANAGER' });
    const c = await signIn(t.http, manager.email);
    const name = uniqueName('Plain');
    const response = await c.agent.post('/projects').type('form').send({ name, _csrf: c.csrf });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/');
    expect(await Project.count({ where: { name } })).toBe(1);
  });

  it('edits a project, with the same validation', async () => {
    const manager = await createUser(t, { role: 'MANAGER' });
    const project = await createProject({ description: 'old' });
    const c = await signIn(t.http, manager.email);

    const form = await c.agent.get(`/projects/${project.id}/edit`).set(UNPOLY_MODAL);
    expect(form.status).toBe(200);
    expect(form.text).toContain(`value="${project.name}"`);
    expect(form.text).toContain('name="_method" value="patch"');

    const invalid = await c.agent
      .patch(`/projects/${project.id}`)
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ name: '', _csrf: c.csrf });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('Enter a name for the project.');
    await project.reload();
    expect(project.description).toBe('old');

    const newName = uniqueName('Renamed');
    // As a browser sends it: POST with _method.
    const valid = await c.agent
      .post(`/projects/${project.id}`)
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ _method: 'patch', name: newName, description: 'new', _csrf: c.csrf });
    expect(valid.status).toBe(200);
    expect(valid.headers['x-up-accept-layer']).toBe('null');
    expect(JSON.parse(valid.headers['x-up-events'])).toEqual([
      { type: 'projects:changed' },
      { type: 'app:toast', message: `Project ${newName} saved.` },
    ]);
    await project.reload();
    expect(project.name).toBe(newName);
    expect(project.description).toBe('new');
  });

  it('asks before deleting, naming the tickets that go with the project', async () => {
    const manager = await createUser(t, { role: 'MANAGER' });
    const project = await createProject({ members: [manager] });
    for (let i = 0; i < 3; i++) await createTicket(project, manager);
    await createInvitation(project, manager);
    const c = await signIn(t.http, manager.email);
    const confirm = await c.agent.get(`/projects/${project.id}/delete`).set(UNPOLY_MODAL);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(project.name);
    expect(confirm.text).toMatch(/data-testid="delete-tickets">3 tickets/);
    expect(confirm.text).toMatch(/data-testid="delete-invitations">1 pending invitation/);
    expect(confirm.text).toContain('name="_method" value="delete"');
    expect(await Project.count({ where: { id: project.id } })).toBe(1);
  });

  it('deletes a project with its tickets and memberships and revokes its pending invitations, in one go', async () => {
    const manager = await createUser(t, { role: 'MANAGER' });
    const member = await createUser(t);
    const project = await createProject({ members: [manager, member] });
    const other = await createProject({ members: [member] });
    for (let i = 0; i < 3; i++) await createTicket(project, member);
    const otherTicket = await createTicket(other, member);
    const pending = await createInvitation(project, manager);
    const used = await createInvitation(project, manager, { isUsed: true });
    const earlierRevoked = new Date(Date.now() - 60_000);
    const revoked = await createInvitation(project, manager, { revokedAt: earlierRevoked });
    const elsewhere = await createInvitation(other, manager);
    const c = await signIn(t.http, manager.email);

    const response = await c.agent
      .post(`/projects/${project.id}`)
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ _method: 'delete', _csrf: c.csrf });
    expect(response.status).toBe(200);
    expect(response.headers['x-up-accept-layer']).toBe('null');
    expect(JSON.parse(response.headers['x-up-events'])).toEqual([
      { type: 'project:deleted', projectId: project.id },
      { type: 'projects:changed' },
      { type: 'app:toast', message: `Project ${project.name} was deleted.` },
    ]);

    expect(await Project.count({ where: { id: project.id } })).toBe(0);
    expect(await Ticket.count({ where: { projectId: project.id } })).toBe(0);
    expect(await ProjectMember.count({ where: { projectId: project.id } })).toBe(0);
    expect(await Ticket.count({ where: { id: otherTicket.id } })).toBe(1);
    expect((await Invitation.findByPk(pending.id))!.revokedAt).toBeInstanceOf(Date);
    expect((await Invitation.findByPk(used.id))!.revokedAt).toBeNull();
    expect((await Invitation.findByPk(revoked.id))!.revokedAt!.getTime()).toBe(earlierRevoked.getTime());
    expect((await Invitation.findByPk(elsewhere.id))!.revokedAt).toBeNull();

    expect((await c.agent.get(`/projects/${project.id}/edit`)).status).toBe(404);
    const plain = await c.agent.delete(`/projects/${other.id}`).set('X-CSRF-Token', c.csrf);
    expect(plain.status).toBe(303);
    expect(plain.headers.location).toBe('/');
  });

  it('leaves everything in place when the deletion fails half way', async () => {
    const manager = await createUser(t, { role: 'MANAGER' });
    const project = await createProject({ members: [manager] });
    await createTicket(project, manager);
    const pending = await createInvitation(project, manager);
    const c = await signIn(t.http, manager.email);
    const failure = jest.spyOn(Project.prototype, 'destroy').mockRejectedValueOnce(new Error('disk full'));
    try {
      const response = await c.agent.delete(`/projects/${project.id}`).set('X-CSRF-Token', c.csrf);
      expect(response.status).toBe(500);
    } finally {
      failure.mockRestore();
    }
    expect(await Project.count({ where: { id: project.id } })).toBe(1);
    expect(await Ticket.count({ where: { projectId: project.id } })).toBe(1);
    expect((await Invitation.findByPk(pending.id))!.revokedAt).toBeNull();
  });

  it('answers 404 to a member for every project management route, changing nothing', async () => {
    const member = await createUser(t);
    const project = await createProject({ members: [member] });
    const c = await signIn(t.http, member.email);
    const name = uniqueName('Sneaky');
    expect((await c.agent.get('/projects/new')).status).toBe(404);
    expect((await c.agent.post('/projects').type('form').send({ name, _csrf: c.csrf })).status).toBe(404);
    expect((await c.agent.get(`/projects/${project.id}/edit`)).status).toBe(404);
    expect((await c.agent.patch(`/projects/${project.id}`).type('form').send({ name, _csrf: c.csrf })).status).toBe(
      404,
    );
    expect((await c.agent.get(`/projects/${project.id}/delete`)).status).toBe(404);
    expect((await c.agent.delete(`/projects/${project.id}`).set('X-CSRF-Token', c.csrf)).status).toBe(404);
    expect(await Project.count({ where: { name } })).toBe(0);
    await project.reload();
    expect(project.name).not.toBe(name);
  });

  it('answers 404 for an unknown or malformed project id, even to a manager', async () => {
    const manager = await createUser(t, { role: 'MANAGER' });
    const c = await signIn(t.http, manager.email);
    expect((await c.agent.get('/projects/7b0c2a59-2f59-4a43-9c7a-3f5b2f7f0000/edit')).status).toBe(404);
    expect((await c.agent.get('/projects/not-a-uuid/edit')).status).toBe(404);
    expect((await c.agent.delete('/projects/not-a-uuid').set('X-CSRF-Token', c.csrf)).status).toBe(404);
  });
});
