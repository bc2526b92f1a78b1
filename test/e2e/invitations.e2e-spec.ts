import { createHash } from 'node:crypto';
import { UniqueConstraintError } from 'sequelize';
import request from 'supertest';
import { User } from '../../src/accounts/user.model';
import { Clock } from '../../src/invitations/clock';
import { generateToken, hashToken } from '../../src/invitations/invitation-token';
import { Invitation } from '../../src/invitations/invitation.model';
import { InvitationProject } from '../../src/invitations/invitation-project.model';
import { InvitationsService } from '../../src/invitations/invitations.service';
import { ProjectMember } from '../../src/projects/project-member.model';
import { Project } from '../../src/projects/project.model';
import { ProjectsService } from '../../src/projects/projects.service';
import { createUser, uniqueEmail } from '../helpers/factories';
import { Client, client, sessionCookie, signIn, UNPOLY_MODAL } from '../helpers/http';
import { countQueries } from '../helpers/query-counter';
import { startTestApp, TestApp } from '../helpers/test-app';

const HOUR = 3_600_000;

async function createProject(
  owner: User,
  name = `Project ${Math.random().toString(36).slice(2, 8)}`,
): Promise<Project> {
  return Project.create({ name, createdBy: owner.id });
}

/** An invitation row with a known token, as the service would make it. */
async function makeInvitation(fields: Partial<Invitation> = {}): Promise<{ invitation: Invitation; token: string }> {
  const token = generateToken();
  const invitation = await Invitation.create({
    email: uniqueEmail('invitee'),
    tokenHash: hashToken(token),
    role: 'MEMBER',
    expiresAt: new Date(Date.now() + 48 * HOUR),
    tokenIssuedAt: new Date(),
    sentAt: new Date(),
    ...fields,
  });
  if (invitation.projectId)
    await InvitationProject.create({ invitationId: invitation.id, projectId: invitation.projectId });
  return { invitation, token };
}

describe('invitations: the manager side', () => {
  let t: TestApp;
  let manager: User;
  let m: Client;

  beforeAll(async () => {
    t = await startTestApp();
    manager = await createUser(t, { role: 'MANAGER', name: 'Mona Manager' });
    m = await signIn(t.http, manager.email);
  });
  afterAll(() => t.close());

  const invite = (fields: Record<string, string>, headers: Record<string, string> = UNPOLY_MODAL) =>
    m.agent
      .post('/invitations')
      .set(headers)
      .type('form')
      .send({ ...fields, _csrf: m.csrf });

  it('opens the invite form with every field, MEMBER by default, pre-selecting ?projectId', async () => {
    const project = await createProject(manager);
    const response = await m.agent.get(`/invitations/new?projectId=${project.id}`).set(UNPOLY_MODAL);
    expect(response.status).toBe(200);
    expect(response.text).toContain('name="email"');
    expect(response.text).toMatch(new RegExp(`<option value="${project.id}" selected>`));
    expect(response.text).toMatch(/<option value="MEMBER" selected>/);
    expect(response.text).toContain('<option value="MANAGER">');
  });

  it('re-renders a bad email in the modal with 422, the message beside the field, and writes nothing', async () => {
    const before = await Invitation.count();
    const response = await invite({ email: 'not-an-email', role: 'MEMBER' });
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/data-error-for="email">Enter a valid email address/);
    expect(response.text).toContain('value="not-an-email"');
    expect(response.headers['x-up-accept-layer']).toBeUndefined();
    expect(await Invitation.count()).toBe(before);
  });

  it('rejects an unknown role or project with 422 beside the field', async () => {
    const badRole = await invite({ email: uniqueEmail(), role: 'ADMIN' });
    expect(badRole.status).toBe(422);
    expect(badRole.text).toContain('data-error-for="role"');
    const badProject = await invite({ email: uniqueEmail(), projectId: '6f1c4b1e-2f7d-4f7e-9a55-0c7b1f1e2d3c' });
    expect(badProject.status).toBe(422);
    expect(badProject.text).toContain('data-error-for="projectId"');
  });

  it('creates the invitation (hash of a 256-bit token, expiry now + TTL, sender, project, role), closes the modal and updates the list', async () => {
    const project = await createProject(manager);
    const email = uniqueEmail('Invitee').toUpperCase();
    const started = Date.now();
    const response = await invite({ email, projectId: project.id, role: 'MANAGER' });
    expect(response.status).toBe(200);
    expect(response.headers['x-up-accept-layer']).toBe('null');
    expect(JSON.parse(response.headers['x-up-events'])).toEqual([
      { type: 'invitations:changed' },
      { type: 'app:toast', message: `Invitation for ${email.toLowerCase()} is on its way.` },
    ]);

    const row = await Invitation.findOne({ where: { email: email.toLowerCase() } });
    expect(row).not.toBeNull();
    expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.senderId).toBe(manager.id);
    expect(row!.projectId).toBe(project.id);
    expect(row!.role).toBe('MANAGER');
    expect(row!.isUsed).toBe(false);
    const ttl = row!.expiresAt.getTime() - row!.tokenIssuedAt!.getTime();
    expect(ttl).toBe(48 * HOUR);
    expect(row!.tokenIssuedAt!.getTime()).toBeGreaterThanOrEqual(started - 1000);

    const list = await m.agent.get('/invitations');
    expect(list.text).toContain(email.toLowerCase());
  });

  it('answers a plain form post (no JavaScript) with 303 to the list', async () => {
    const response = await invite({ email: uniqueEmail() }, {});
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/invitations');
  });

  it('re-sends the invitation pending for the same email and project (new token, new expiry) instead of duplicating it', async () => {
    const project = await createProject(manager);
    const email = uniqueEmail();
    await invite({ email, projectId: project.id });
    const first = (await Invitation.findOne({ where: { email } }))!;
    await first.update({ expiresAt: new Date(Date.now() + HOUR) });
    await invite({ email: email.toUpperCase(), projectId: project.id });
    const rows = await Invitation.findAll({ where: { email, projectId: project.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).not.toBe(first.tokenHash);
    expect(rows[0].expiresAt.getTime()).toBeGreaterThan(Date.now() + 47 * HOUR);
    // Another project joins the same invitation (see "one open invitation per email" below).
    await invite({ email, projectId: (await createProject(manager)).id });
    expect(await Invitation.count({ where: { email } })).toBe(1);
  });

  it('tells the manager in the modal when the person already has an account and no project was chosen', async () => {
    const existing = await createUser(t);
    const response = await invite({ email: existing.email.toUpperCase() });
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/data-error-for="email">This person already has an account/);
    expect(await Invitation.count({ where: { email: existing.email } })).toBe(0);
  });

  it('adds an existing account to the chosen project directly, once, and tells the manager so by name in the modal', async () => {
    const existing = await createUser(t, { name: 'Ada Existing' });
    const project = await createProject(manager);
    const response = await invite({ email: existing.email.toUpperCase(), projectId: project.id });
    expect(response.status).toBe(200);
    expect(response.headers['x-up-accept-layer']).toBeUndefined();
    expect(JSON.parse(response.headers['x-up-events'])).toEqual([{ type: 'invitations:changed' }]);
    expect(response.text).toContain(
      `<strong>Ada Existing</strong> (${existing.email}) already had an account and was added to\n      <strong>${project.name}</strong> directly`,
    );
    expect(await ProjectMember.count({ where: { projectId: project.id, userId: existing.id } })).toBe(1);
    expect(await Invitation.count({ where: { email: existing.email } })).toBe(0);
    const again = await invite({ email: existing.email, projectId: project.id });
    expect(again.status).toBe(422);
    expect(again.text).toContain('already a member of that project');
  });

  describe('one open invitation per email', () => {
    const projectsOf = async (invitationId: string) =>
      (await InvitationProject.findAll({ where: { invitationId } })).map((link) => link.projectId).sort();
    const linkOf = async (invitationId: string) =>
      (await t.get(InvitationsService).copyLink(invitationId))!.split('/join/')[1];

    it('adds a second project to the open invitation, keeps the higher role, refreshes it, and says so in the modal', async () => {
      const apollo = await createProject(manager, `Apollo ${Math.random().toString(36).slice(2, 6)}`);
      const zeus = await createProject(manager, `Zeus ${Math.random().toString(36).slice(2, 6)}`);
      const email = uniqueEmail('twice');
      expect((await invite({ email, projectId: apollo.id, role: 'MEMBER' })).status).toBe(200);
      const first = (await Invitation.findOne({ where: { email } }))!;
      const oldToken = await linkOf(first.id);
      const before = (await Invitation.findByPk(first.id))!;

      const response = await invite({ email: email.toUpperCase(), projectId: zeus.id, role: 'MANAGER' });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.headers['x-up-events'])).toEqual([{ type: 'invitations:changed' }]);
      expect(response.text).toContain(
        `Added <strong>${zeus.name}</strong> to the invitation already sent to <strong>${email}</strong>`,
      );
      expect(response.text).toContain('the earlier link no longer works');
      expect(response.text).toContain(`${email} will join as manager.`);

      const rows = await Invitation.findAll({ where: { email } });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: first.id, role: 'MANAGER', isUsed: false, revokedAt: null });
      expect(rows[0].tokenHash).not.toBe(before.tokenHash);
      expect(await projectsOf(first.id)).toEqual([apollo.id, zeus.id].sort());
      const old = await client(t.http).agent.get(`/join/${oldToken}`);
      expect(old.status).toBe(404);
      expect(old.text).toContain('newer invitation email');
      expect(old.text).toContain('<a href="/login"');
      expect(old.text).not.toContain('name="password"');

      // A lower role does not demote: the manager is told the earlier, higher one stands.
      const third = await createProject(manager);
      const lower = await invite({ email, projectId: third.id, role: 'MEMBER' });
      expect(lower.text).toContain('as the earlier invitation said: the higher role wins');
      expect((await Invitation.findByPk(first.id))!.role).toBe('MANAGER');
      expect(await projectsOf(first.id)).toHaveLength(3);
      const list = await m.agent.get('/invitations');
      expect(list.text).toContain(
        [apollo.name, third.name, zeus.name]
          .sort((a, b) => a.localeCompare(b))
          .slice(0, 2)
          .join(', '),
      );
    });

    it('with and without a project: one invitation; inviting again without a project resends it, keeping its project', async () => {
      const project = await createProject(manager);
      const email = uniqueEmail('mixed');
      await invite({ email, role: 'MEMBER' });
      const added = await invite({ email, projectId: project.id, role: 'MEMBER' });
      expect(added.text).toContain(`Added <strong>${project.name}</strong>`);
      const again = await invite({ email, role: 'MEMBER' });
      expect(again.status).toBe(200);
      expect(again.text).toContain(
        `${email} had a pending invitation already (for ${project.name}): it was not duplicated.`,
      );
      expect(again.text).not.toContain('will join as manager');
      const rows = await Invitation.findAll({ where: { email } });
      expect(rows).toHaveLength(1);
      expect(await projectsOf(rows[0].id)).toEqual([project.id]);
    });

    it('a double click (two invites at once) makes one invitation; two projects at once end up on it both', async () => {
      const project = await createProject(manager);
      const email = uniqueEmail('double');
      const same = await Promise.all([
        invite({ email, projectId: project.id, role: 'MEMBER' }),
        invite({ email, projectId: project.id, role: 'MEMBER' }),
      ]);
      expect(same.map((r) => r.status)).toEqual([200, 200]);
      const rows = await Invitation.findAll({ where: { email } });
      expect(rows).toHaveLength(1);
      expect(await projectsOf(rows[0].id)).toEqual([project.id]);

      const other = uniqueEmail('double');
      const [a, b] = [await createProject(manager), await createProject(manager)];
      await Promise.all([
        invite({ email: other, projectId: a.id, role: 'MEMBER' }),
        invite({ email: other, projectId: b.id, role: 'MEMBER' }),
      ]);
      const merged = await Invitation.findAll({ where: { email: other } });
      expect(merged).toHaveLength(1);
      expect(await projectsOf(merged[0].id)).toEqual([a.id, b.id].sort());
    });

    it('the database refuses a second open invitation for an email (partial unique index)', async () => {
      const { invitation } = await makeInvitation();
      await expect(makeInvitation({ email: invitation.email })).rejects.toThrow(UniqueConstraintError);
      await makeInvitation({ email: invitation.email, revokedAt: new Date() });
      await makeInvitation({ email: invitation.email, isUsed: true });
    });

    it('deleting one of its projects keeps the invitation for the others; deleting the last revokes it', async () => {
      const [a, b] = [await createProject(manager), await createProject(manager)];
      const email = uniqueEmail('deleted');
      await invite({ email, projectId: a.id });
      await invite({ email, projectId: b.id });
      const row = (await Invitation.findOne({ where: { email } }))!;
      // The deletion confirmation counts only the invitations it revokes.
      expect((await t.get(ProjectsService).deletionImpact(a)).pendingInvitations).toBe(0);
      await t.get(ProjectsService).remove(a);
      expect((await t.get(ProjectsService).deletionImpact(b)).pendingInvitations).toBe(1);
      expect((await Invitation.findByPk(row.id))!.revokedAt).toBeNull();
      expect(await projectsOf(row.id)).toEqual([b.id]);
      await t.get(ProjectsService).remove(b);
      expect((await Invitation.findByPk(row.id))!.revokedAt).toBeInstanceOf(Date);
    });
  });

  it('acknowledges a resend and a revoke with a message on the list (plain form posts)', async () => {
    const { invitation } = await makeInvitation({
      senderId: manager.id,
      tokenIssuedAt: new Date(Date.now() - 120_000),
    });
    const resent = await m.agent.post(`/invitations/${invitation.id}/resend`).type('form').send({ _csrf: m.csrf });
    expect(resent.status).toBe(303);
    expect((await m.agent.get('/invitations')).text).toContain(
      `The invitation for ${invitation.email} was sent again with a new link`,
    );
    const revoked = await m.agent
      .post(`/invitations/${invitation.id}`)
      .type('form')
      .send({ _method: 'delete', _csrf: m.csrf });
    expect(revoked.status).toBe(303);
    expect((await m.agent.get('/invitations')).text).toContain(`The invitation for ${invitation.email} is revoked`);
  });

  it('lists every invitation with its state, sender, project and expiry', async () => {
    const project = await createProject(manager, 'Listed project');
    const states = {
      queued: await makeInvitation({ senderId: manager.id, projectId: project.id, sentAt: null }),
      sent: await makeInvitation({ senderId: manager.id }),
      failed: await makeInvitation({ senderId: manager.id, sentAt: null, sendError: '550 mailbox unavailable' }),
      expired: await makeInvitation({ senderId: manager.id, expiresAt: new Date(Date.now() - HOUR) }),
      revoked: await makeInvitation({ senderId: manager.id, revokedAt: new Date() }),
      used: await makeInvitation({ senderId: manager.id, isUsed: true, usedAt: new Date() }),
    };
    const page = await m.agent.get('/invitations');
    expect(page.status).toBe(200);
    for (const [state, { invitation }] of Object.entries(states)) {
      const row = new RegExp(`<tr data-invitation-id="${invitation.id}" data-state="(\\w+)">([\\s\\S]*?)</tr>`).exec(
        page.text,
      );
      expect(row?.[1]).toBe(state);
      expect(row?.[2]).toContain(invitation.email);
      expect(row?.[2]).toContain('Mona Manager');
    }
    expect(page.text).toContain('550 mailbox unavailable');
    expect(page.text).toContain('Listed project');
  });

  it('renders the list with the same number of queries however many invitations there are', async () => {
    const measure = async () => (await countQueries(t.sequelize, () => m.agent.get('/invitations').expect(200))).count;
    const project = await createProject(manager);
    await makeInvitation({ senderId: manager.id, projectId: project.id });
    const few = await measure();
    for (let i = 0; i < 8; i++)
      await makeInvitation({
        senderId: (await createUser(t, { role: 'MANAGER' })).id,
        projectId: (await createProject(manager)).id,
      });
    expect(await measure()).toBe(few);
  });

  it('resends with a new token and expiry, at most once a minute per invitation (429)', async () => {
    const { invitation } = await makeInvitation({
      senderId: manager.id,
      tokenIssuedAt: new Date(Date.now() - 2 * 60_000),
      expiresAt: new Date(Date.now() - 1000),
    });
    const confirm = await m.agent.get(`/invitations/${invitation.id}/resend`).set(UNPOLY_MODAL);
    expect(confirm.status).toBe(200);
    const resend = () =>
      m.agent.post(`/invitations/${invitation.id}/resend`).set(UNPOLY_MODAL).type('form').send({ _csrf: m.csrf });
    const first = await resend();
    expect(first.status).toBe(200);
    expect(first.headers['x-up-accept-layer']).toBe('null');
    await invitation.reload();
    const afterFirst = invitation.tokenHash;
    expect(invitation.expiresAt.getTime()).toBeGreaterThan(Date.now() + 47 * HOUR);
    expect(invitation.sentAt).toBeNull();

    const second = await resend();
    expect(second.status).toBe(429);
    expect(second.text).toContain('Wait');
    await invitation.reload();
    expect(invitation.tokenHash).toBe(afterFirst);
  });

  it('revokes: the link then answers 410, and revoking again says it is revoked', async () => {
    const { invitation, token } = await makeInvitation({ senderId: manager.id });
    expect((await m.agent.get(`/invitations/${invitation.id}/revoke`).set(UNPOLY_MODAL)).status).toBe(200);
    const response = await m.agent
      .post(`/invitations/${invitation.id}`)
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ _method: 'delete', _csrf: m.csrf });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.headers['x-up-events'])).toEqual([
      { type: 'invitations:changed' },
      { type: 'app:toast', message: `The invitation for ${invitation.email} is revoked: its link no longer works.` },
    ]);
    expect((await Invitation.findByPk(invitation.id))!.revokedAt).not.toBeNull();
    const join = await request(t.http).get(`/join/${token}`);
    expect(join.status).toBe(410);
    expect(join.text).toContain('ask a manager for a new invitation'.replace('ask', 'Ask'));
    const again = await m.agent.delete(`/invitations/${invitation.id}`).set('X-CSRF-Token', m.csrf);
    expect(again.status).toBe(409);
  });

  it('copy link: shows a new link once (no-store), the old link stops working, the new one works', async () => {
    const { invitation, token: oldToken } = await makeInvitation({ senderId: manager.id, sentAt: null });
    const response = await m.agent
      .post(`/invitations/${invitation.id}/link`)
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ _csrf: m.csrf });
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const link = /id="invitation-link" value="([^"]+)"/.exec(response.text)?.[1];
    expect(link).toMatch(/\/join\/[A-Za-z0-9_-]{43}$/);
    const newToken = link!.split('/join/')[1];
    expect((await Invitation.findByPk(invitation.id))!.tokenHash).toBe(
      createHash('sha256').update(newToken).digest('hex'),
    );
    expect((await request(t.http).get(`/join/${oldToken}`)).status).toBe(404);
    expect((await request(t.http).get(`/join/${newToken}`)).status).toBe(200);
    // The confirmation page does not show a link.
    const confirm = await m.agent.get(`/invitations/${invitation.id}/link`);
    expect(confirm.text).not.toContain('id="invitation-link"');
  });

  it('answers 404 for unknown and malformed invitation ids', async () => {
    expect((await m.agent.get('/invitations/6f1c4b1e-2f7d-4f7e-9a55-0c7b1f1e2d3c/resend')).status).toBe(404);
    expect((await m.agent.get('/invitations/not-a-uuid/revoke')).status).toBe(404);
    expect((await m.agent.post('/invitations/not-a-uuid/link').type('form').send({ _csrf: m.csrf })).status).toBe(404);
  });

  it('rejects every unsafe invitation request without a CSRF token (403)', async () => {
    const { invitation } = await makeInvitation({ senderId: manager.id });
    const before = await Invitation.count();
    expect((await m.agent.post('/invitations').type('form').send({ email: uniqueEmail() })).status).toBe(403);
    expect((await m.agent.post(`/invitations/${invitation.id}/resend`).type('form').send({})).status).toBe(403);
    expect((await m.agent.post(`/invitations/${invitation.id}/link`).type('form').send({})).status).toBe(403);
    expect((await m.agent.post(`/invitations/${invitation.id}`).type('form').send({ _method: 'delete' })).status).toBe(
      403,
    );
    expect(await Invitation.count()).toBe(before);
    expect((await Invitation.findByPk(invitation.id))!.revokedAt).toBeNull();
  });

  it('hides every invitation route from members (404) and sends anonymous visitors to sign in', async () => {
    const member = await createUser(t);
    const c = await signIn(t.http, member.email);
    const { invitation } = await makeInvitation({ senderId: manager.id });
    const id = invitation.id;
    for (const path of [
      '/invitations',
      '/invitations/new',
      `/invitations/${id}/resend`,
      `/invitations/${id}/revoke`,
      `/invitations/${id}/link`,
    ]) {
      expect([path, (await c.agent.get(path)).status]).toEqual([path, 404]);
    }
    const unsafe = [
      c.agent.post('/invitations').type('form').send({ email: uniqueEmail(), _csrf: c.csrf }),
      c.agent.post(`/invitations/${id}/resend`).type('form').send({ _csrf: c.csrf }),
      c.agent.post(`/invitations/${id}/link`).type('form').send({ _csrf: c.csrf }),
      c.agent.post(`/invitations/${id}`).type('form').send({ _method: 'delete', _csrf: c.csrf }),
    ];
    for (const response of await Promise.all(unsafe)) expect(response.status).toBe(404);
    expect((await Invitation.findByPk(id))!.revokedAt).toBeNull();
    const anonymous = await request(t.http).get('/invitations');
    expect(anonymous.status).toBe(303);
  });
});

describe('invitations: joining', () => {
  let t: TestApp;
  let manager: User;

  beforeAll(async () => {
    t = await startTestApp();
    manager = await createUser(t, { role: 'MANAGER' });
  });
  afterAll(() => t.close());

  const joinForm = async (token: string) => {
    const c = client(t.http);
    const page = await c.page(`/join/${token}`);
    return { c, page };
  };
  const submit = (c: Client, token: string, fields: Record<string, string>) =>
    c.agent
      .post(`/join/${token}`)
      .type('form')
      .send({
        name: 'Jo Joiner',
        password: 'a long password',
        confirmPassword: 'a long password',
        ...fields,
        _csrf: c.csrf,
      });

  it('shows the form with the email read-only, without a session, changing nothing, with no-referrer', async () => {
    const { invitation, token } = await makeInvitation({ senderId: manager.id });
    const before = JSON.stringify((await Invitation.findByPk(invitation.id))!.toJSON());
    const { page } = await joinForm(token);
    expect(page.status).toBe(200);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.text).toMatch(new RegExp(`id="join-email" value="${invitation.email}" readonly`));
    for (const field of ['name', 'password', 'confirmPassword']) expect(page.text).toContain(`name="${field}"`);
    expect(page.text).not.toContain('name="email"');
    expect(JSON.stringify((await Invitation.findByPk(invitation.id))!.toJSON())).toBe(before);
  });

  it('joins: one transaction makes the user with the invitation email and role, adds them to the project, signs them in with a new session and lands on the dashboard', async () => {
    const project = await createProject(manager, 'Join target');
    const { invitation, token } = await makeInvitation({ senderId: manager.id, projectId: project.id, role: 'MEMBER' });
    const { c, page } = await joinForm(token);
    const before = sessionCookie(page);
    const response = await submit(c, token, { email: 'someone-else@example.test' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/');
    expect(sessionCookie(response)).toBeDefined();
    expect(sessionCookie(response)).not.toBe(before);

    const user = (await User.findOne({ where: { email: invitation.email } }))!;
    expect(user.name).toBe('Jo Joiner');
    expect(user.role).toBe('MEMBER');
    // Joining signs them in: the People page must not say "never".
    expect(user.lastLoginAt).not.toBeNull();
    expect(await User.count({ where: { email: 'someone-else@example.test' } })).toBe(0);
    expect(await ProjectMember.count({ where: { projectId: project.id, userId: user.id } })).toBe(1);
    const used = (await Invitation.findByPk(invitation.id))!;
    expect(used.isUsed).toBe(true);
    expect(used.usedAt).not.toBeNull();

    const dashboard = await c.agent.get('/');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain('Join target');
    expect(dashboard.text).toContain(invitation.email);
  });

  it('re-renders bad input with 422 (short password, mismatch, no name) and keeps the invitation unused', async () => {
    const { invitation, token } = await makeInvitation({ senderId: manager.id });
    const { c } = await joinForm(token);
    const short = await submit(c, token, { password: 'short', confirmPassword: 'short' });
    expect(short.status).toBe(422);
    expect(short.text).toMatch(/data-error-for="password">Choose a password of at least 10 characters/);
    const mismatch = await submit(c, token, { confirmPassword: 'another long one' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.text).toMatch(/data-error-for="confirmPassword">The two passwords do not match/);
    const noName = await submit(c, token, { name: '  ' });
    expect(noName.status).toBe(422);
    expect(noName.text).toContain('data-error-for="name"');
    expect(noName.text).not.toContain('a long password');
    expect((await Invitation.findByPk(invitation.id))!.isUsed).toBe(false);
    expect(await User.count({ where: { email: invitation.email } })).toBe(0);
  });

  it('answers an unknown token with 404 and used or revoked ones with 410, on GET and POST, saying to ask a manager', async () => {
    const used = await makeInvitation({ isUsed: true, usedAt: new Date() });
    const revoked = await makeInvitation({ revokedAt: new Date() });
    const cases: [string, number, string][] = [
      [generateToken(), 404, 'not valid'],
      ['x'.repeat(500), 404, 'not valid'],
      [used.token, 410, 'used already'],
      [revoked.token, 410, 'withdrawn'],
    ];
    for (const [token, status, words] of cases) {
      const c = client(t.http);
      const page = await c.agent.get(`/join/${token}`);
      expect(page.status).toBe(status);
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.text).toContain(words);
      expect(page.text).toContain('Ask a manager for a new invitation'.slice(4));
      await c.page('/login');
      const post = await submit(c, token, {});
      expect(post.status).toBe(status);
    }
    expect(await User.count({ where: { email: [used.invitation.email, revoked.invitation.email] } })).toBe(0);
  });

  it('answers an expired token with 410 (controlled clock), and an invitation that expires between page and submit too', async () => {
    const { invitation, token } = await makeInvitation({ expiresAt: new Date(Date.now() + HOUR) });
    const { c, page } = await joinForm(token);
    expect(page.status).toBe(200);
    const clock = jest.spyOn(t.get(Clock), 'now').mockReturnValue(new Date(Date.now() + HOUR + 1000));
    try {
      const expiredPage = await c.agent.get(`/join/${token}`);
      expect(expiredPage.status).toBe(410);
      expect(expiredPage.text).toContain('expired');
      const post = await submit(c, token, {});
      expect(post.status).toBe(410);
    } finally {
      clock.mockRestore();
    }
    expect((await Invitation.findByPk(invitation.id))!.isUsed).toBe(false);
    expect(await User.count({ where: { email: invitation.email } })).toBe(0);
  });

  it('creates exactly one user when the same token is submitted twice at once; the other gets "already used"', async () => {
    const project = await createProject(manager);
    const { invitation, token } = await makeInvitation({ projectId: project.id });
    const a = await joinForm(token);
    const b = await joinForm(token);
    const responses = await Promise.all([submit(a.c, token, { name: 'A' }), submit(b.c, token, { name: 'B' })]);
    // The other finds the invitation used, or (once the winner committed) the account: either way no form.
    const other = responses.find((r) => r.status !== 303)!;
    expect([409, 410]).toContain(other.status);
    expect(other.text).toContain('<a href="/login"');
    expect(other.text).not.toContain('name="password"');
    expect(await User.count({ where: { email: invitation.email } })).toBe(1);
    expect(await ProjectMember.count({ where: { projectId: project.id } })).toBe(1);
  });

  it('tells a signed-in user they are signed in already, and does not use the invitation', async () => {
    const member = await createUser(t);
    const c = await signIn(t.http, member.email);
    const { invitation, token } = await makeInvitation();
    const page = await c.agent.get(`/join/${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('You are signed in already');
    const post = await c.agent
      .post(`/join/${token}`)
      .type('form')
      .send({ name: 'X', password: 'a long password', confirmPassword: 'a long password', _csrf: c.csrf });
    expect(post.text).toContain('You are signed in already');
    expect((await Invitation.findByPk(invitation.id))!.isUsed).toBe(false);
  });

  it('tells a signed-in user what became of a used, withdrawn or unknown link, not to sign out first', async () => {
    const member = await createUser(t);
    const c = await signIn(t.http, member.email);
    const { token: used } = await makeInvitation({ isUsed: true, usedAt: new Date() });
    const { token: revoked } = await makeInvitation({ revokedAt: new Date() });
    for (const [token, status, words] of [
      [used, 410, 'used already'],
      [revoked, 410, 'withdrawn'],
      ['not-a-real-token', 404, 'not valid'],
    ] as const) {
      const page = await c.agent.get(`/join/${token}`);
      expect(page.status).toBe(status);
      expect(page.text).toMatch(new RegExp(`data-testid="closed-message">[^<]*${words}`));
      expect(page.text).not.toContain('sign out first');
      expect(page.text).toContain(member.email);
    }
  });

  it('joins every project of the invitation that still exists, in the join itself', async () => {
    const [a, b, gone] = [await createProject(manager), await createProject(manager), await createProject(manager)];
    const { invitation, token } = await makeInvitation({ projectId: a.id });
    await InvitationProject.bulkCreate([b, gone].map((p) => ({ invitationId: invitation.id, projectId: p.id })));
    await t.get(ProjectsService).remove(gone);
    const { c } = await joinForm(token);
    expect((await submit(c, token, {})).status).toBe(303);
    const user = (await User.findOne({ where: { email: invitation.email } }))!;
    const memberOf = (await ProjectMember.findAll({ where: { userId: user.id } })).map((row) => row.projectId).sort();
    expect(memberOf).toEqual([a.id, b.id].sort());
  });

  it('once the email has an account, its other open invitations are marked used and their links say to sign in, with no form', async () => {
    const email = uniqueEmail('bootstrapped');
    const project = await createProject(manager);
    // The first-run invitation has no email: the person types one that a manager invited meanwhile.
    const bootstrap = await makeInvitation({ email: '', role: 'MANAGER' });
    const other = await makeInvitation({ email, projectId: project.id, senderId: manager.id });
    const { c } = await joinForm(bootstrap.token);
    expect((await submit(c, bootstrap.token, { email })).status).toBe(303);

    const closed = (await Invitation.findByPk(other.invitation.id))!;
    expect(closed.isUsed).toBe(true);
    const user = (await User.findOne({ where: { email } }))!;
    expect(user.role).toBe('MANAGER');
    expect(await ProjectMember.count({ where: { projectId: project.id, userId: user.id } })).toBe(1);

    const page = await client(t.http).agent.get(`/join/${other.token}`);
    expect(page.status).toBe(409);
    const said = page.text.indexOf('An account with this email exists already');
    expect(said).toBeGreaterThan(0);
    expect(page.text.indexOf('<a href="/login"')).toBeGreaterThan(said);
    expect(page.text).not.toContain('action="/join');
    // The link used (no email of its own) says so, with the same sign-in link.
    const used = await client(t.http).agent.get(`/join/${bootstrap.token}`);
    expect(used.status).toBe(410);
    expect(used.text).toContain('used already');
    expect(used.text).toContain('<a href="/login"');
  });

  it('refuses the join (409, a sign-in link, no form) when an account with the email appeared meanwhile', async () => {
    const { invitation, token } = await makeInvitation();
    const { c } = await joinForm(token);
    await createUser(t, { email: invitation.email });
    const response = await submit(c, token, {});
    expect(response.status).toBe(409);
    expect(response.text).toContain('exists already');
    expect(response.text).toContain('<a href="/login"');
    expect(response.text).not.toContain('name="password"');
    expect((await Invitation.findByPk(invitation.id))!.isUsed).toBe(false);
  });

  it('first run: a bootstrap MANAGER invitation whose link works; a new one invalidates the previous link', async () => {
    const service = t.get(InvitationsService);
    expect(await service.bootstrapIfNoManager()).toBeNull(); // a manager exists in this database
    const oldLink = await service.createBootstrapInvitation();
    const newLink = await service.createBootstrapInvitation();
    const oldToken = oldLink.split('/join/')[1];
    const newToken = newLink.split('/join/')[1];
    expect(newLink).toBe(`${t.config.baseUrl}/join/${newToken}`);
    expect((await request(t.http).get(`/join/${oldToken}`)).status).toBe(410);

    const { c, page } = await joinForm(newToken);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="email"'); // no ADMIN_EMAIL: typed on the form
    expect((await submit(c, newToken, { email: 'not an email' })).status).toBe(422);
    const email = uniqueEmail('First');
    const response = await submit(c, newToken, { email });
    expect(response.status).toBe(303);
    expect((await User.findOne({ where: { email: email.toLowerCase() } }))!.role).toBe('MANAGER');
  });

  it('first run with ADMIN_EMAIL: the email is pre-set read-only', async () => {
    const adminEmail = uniqueEmail('admin');
    const other = await startTestApp({ ADMIN_EMAIL: adminEmail });
    try {
      const link = await other.get(InvitationsService).createBootstrapInvitation();
      const page = await request(other.http).get(`/join/${link.split('/join/')[1]}`);
      expect(page.text).toMatch(new RegExp(`id="join-email" value="${adminEmail}" readonly`));
    } finally {
      await other.close();
    }
  });
});

describe('invitations: join rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ JOIN_RATE_LIMIT_PER_IP: '3' });
  });
  afterAll(() => t.close());

  it('limits join attempts per IP address with a 429 page', async () => {
    const c = client(t.http);
    await c.page('/login');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await c.agent.post(`/join/${generateToken()}`).type('form').send({ _csrf: c.csrf });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 3)).toEqual([404, 404, 404]);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });
});
