import { createHash, randomBytes } from 'node:crypto';
import { Op } from 'sequelize';
import request from 'supertest';
import { LOGIN_FAILED } from '../../src/accounts/auth.controller';
import { Session } from '../../src/accounts/session.model';
import { User } from '../../src/accounts/user.model';
import { UsersService } from '../../src/accounts/users.service';
import { NotAllowed as UserAdminRefused } from '../../src/common/errors';
import { NOT_ALLOWED_WORDING } from '../../src/common/errors/error-wording';
import { Invitation } from '../../src/invitations/invitation.model';
import { ProjectMember } from '../../src/projects/project-member.model';
import { Project } from '../../src/projects/project.model';
import { createUser, TEST_PASSWORD, uniqueEmail } from '../helpers/factories';
import { client, Client, signIn, UNPOLY_MODAL } from '../helpers/http';
import { countQueries } from '../helpers/query-counter';
import { startTestApp, TestApp } from '../helpers/test-app';

const LAST_MANAGER_MESSAGE = NOT_ALLOWED_WORDING['last-manager'];
const SELF_DEACTIVATION_MESSAGE = NOT_ALLOWED_WORDING['self-deactivation'];

describe('user administration', () => {
  let t: TestApp;
  let manager: User;
  let m: Client;

  beforeAll(async () => {
    t = await startTestApp();
    manager = await createUser(t, { role: 'MANAGER', name: 'Main Manager' });
    m = await signIn(t.http, manager.email);
  });
  afterAll(() => t.close());

  const invite = (senderId: string, fields: Partial<Invitation> = {}) =>
    Invitation.create({
      tokenHash: createHash('sha256').update(randomBytes(32)).digest('hex'),
      email: uniqueEmail('invitee'),
      senderId,
      expiresAt: new Date(Date.now() + 3_600_000),
      ...fields,
    });

  const signInAttempt = async (email: string) => {
    const c = client(t.http);
    await c.page('/login');
    return c.agent.post('/login').type('form').send({ email, password: TEST_PASSWORD, _csrf: c.csrf });
  };

  const modalPost = (c: Client, path: string, fields: Record<string, string> = {}) =>
    c.agent
      .post(path)
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ _csrf: c.csrf, ...fields });

  it('lists everyone with role, last sign-in, projects and state', async () => {
    const member = await createUser(t, { name: 'Listed Member' });
    const gone = await createUser(t, { name: 'Gone Member' });
    await gone.update({ isActive: false });
    const project = await Project.create({ name: `Apollo ${randomBytes(3).toString('hex')}` });
    await ProjectMember.create({ projectId: project.id, userId: member.id });

    const response = await m.agent.get('/users');
    expect(response.status).toBe(200);
    const row = (user: User) =>
      new RegExp(`<tr data-user-id="${user.id}"[\\s\\S]*?</tr>`).exec(response.text)?.[0] ?? '';
    expect(row(member)).toContain('Listed Member');
    expect(row(member)).toContain('Member</span>');
    expect(row(member)).toContain(project.name);
    expect(row(member)).toContain('never');
    expect(row(member)).toContain('Active');
    expect(row(member)).toContain(`href="/users/${member.id}/deactivate" up-layer="new modal"`);
    expect(row(gone)).toContain('Deactivated');
    expect(row(gone)).toContain(`/users/${gone.id}/reactivate`);
    expect(row(manager)).toContain('Manager</span>');
    expect(row(manager)).toMatch(/<time datetime="[^"]+"/);
    // Nobody deactivates themselves from the list.
    expect(row(manager)).not.toContain('/deactivate');
  });

  it('runs the same number of queries whatever the number of people and memberships', async () => {
    const measure = async () => (await countQueries(t.sequelize, () => m.agent.get('/users').expect(200))).count;
    const before = await measure();
    const project = await Project.create({ name: `Busy ${randomBytes(3).toString('hex')}` });
    for (let i = 0; i < 6; i++) {
      const user = await createUser(t);
      await ProjectMember.create({ projectId: project.id, userId: user.id });
    }
    expect(await measure()).toBe(before);
    expect(before).toBeLessThanOrEqual(5);
  });

  it('answers 404 to members on every /users route', async () => {
    const member = await createUser(t);
    const c = await signIn(t.http, member.email);
    expect((await c.agent.get('/users')).status).toBe(404);
    expect((await c.agent.get(`/users/${manager.id}/role`)).status).toBe(404);
    expect((await modalPost(c, `/users/${manager.id}/role`, { _method: 'patch', role: 'MEMBER' })).status).toBe(404);
    expect((await modalPost(c, `/users/${manager.id}/deactivate`)).status).toBe(404);
    expect((await User.findByPk(manager.id))!.role).toBe('MANAGER');
    expect((await User.findByPk(manager.id))!.isActive).toBe(true);
  });

  it('answers 404 for unknown and malformed user ids', async () => {
    expect((await m.agent.get('/users/00000000-0000-4000-8000-000000000000/role')).status).toBe(404);
    expect((await m.agent.get('/users/not-an-id/deactivate')).status).toBe(404);
    expect((await modalPost(m, `/users/${encodeURIComponent(manager.email)}/reactivate`)).status).toBe(404);
  });

  it('changes a role in a modal', async () => {
    const member = await createUser(t);
    const form = await m.agent.get(`/users/${member.id}/role`).set(UNPOLY_MODAL);
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/id="role-MEMBER" value="MEMBER" checked/);
    const response = await modalPost(m, `/users/${member.id}/role`, { _method: 'patch', role: 'MANAGER' });
    expect(response.status).toBe(200);
    expect(response.headers['x-up-accept-layer']).toBe('null');
    expect(JSON.parse(response.headers['x-up-events'])).toEqual([
      { type: 'users:changed' },
      { type: 'app:toast', message: `${member.name} is now a manager.` },
    ]);
    expect((await User.findByPk(member.id))!.role).toBe('MANAGER');
  });

  it('refuses an unknown role with 422 in the modal', async () => {
    const member = await createUser(t);
    const response = await modalPost(m, `/users/${member.id}/role`, { _method: 'patch', role: 'ADMIN' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('data-error-for="role">Choose Manager or Member.');
    expect((await User.findByPk(member.id))!.role).toBe('MEMBER');
  });

  it('deactivates: sessions end at once, sign-in is refused like a wrong password, pending invitations are revoked', async () => {
    const other = await createUser(t, { role: 'MANAGER' });
    const phone = await signIn(t.http, other.email);
    const laptop = await signIn(t.http, other.email);
    const pending = await invite(other.id);
    const used = await invite(other.id, { isUsed: true, usedAt: new Date() });
    const someoneElses = await invite(manager.id);

    const confirm = await m.agent.get(`/users/${other.id}/deactivate`).set(UNPOLY_MODAL);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(`action="/users/${other.id}/deactivate"`);

    const response = await modalPost(m, `/users/${other.id}/deactivate`);
    expect(response.status).toBe(200);
    expect(response.headers['x-up-accept-layer']).toBe('null');
    expect(JSON.parse(response.headers['x-up-events'])).toEqual([
      { type: 'users:changed' },
      { type: 'app:toast', message: `${other.name} was deactivated.` },
    ]);

    expect((await User.findByPk(other.id))!.isActive).toBe(false);
    expect(await Session.count({ where: { userId: other.id } })).toBe(0);
    for (const ended of [phone, laptop]) expect((await ended.agent.get('/')).headers.location).toMatch(/^\/login/);
    const attempt = await signInAttempt(other.email);
    expect(attempt.status).toBe(422);
    expect(attempt.text).toContain(LOGIN_FAILED);

    expect((await Invitation.findByPk(pending.id))!.revokedAt).toBeInstanceOf(Date);
    expect((await Invitation.findByPk(used.id))!.revokedAt).toBeNull();
    expect((await Invitation.findByPk(someoneElses.id))!.revokedAt).toBeNull();
    expect((await m.agent.get('/')).status).toBe(200);
  });

  it('reactivates: the person signs in again with their old password', async () => {
    const member = await createUser(t);
    await t.get(UsersService).deactivate(member.email);
    expect((await signInAttempt(member.email)).status).toBe(422);
    const response = await modalPost(m, `/users/${member.id}/reactivate`);
    expect(response.status).toBe(200);
    expect((await User.findByPk(member.id))!.isActive).toBe(true);
    expect((await signInAttempt(member.email)).status).toBe(303);
  });

  it('refuses to let managers deactivate themselves', async () => {
    const response = await modalPost(m, `/users/${manager.id}/deactivate`);
    expect(response.status).toBe(422);
    expect(response.text).toContain(SELF_DEACTIVATION_MESSAGE);
    expect((await User.findByPk(manager.id))!.isActive).toBe(true);
    expect((await m.agent.get('/')).status).toBe(200);
  });

  it('never demotes or deactivates the last active manager, including oneself', async () => {
    const second = await createUser(t, { role: 'MANAGER' });
    // Other test files leave managers behind: set them aside for this test, then restore them.
    const others = await User.findAll({
      where: { role: 'MANAGER', isActive: true, id: { [Op.notIn]: [manager.id, second.id] } },
    });
    await User.update({ isActive: false }, { where: { id: others.map((u) => u.id) } });
    try {
      // With two managers, one may demote the other.
      const demote = await modalPost(m, `/users/${second.id}/role`, { _method: 'patch', role: 'MEMBER' });
      expect(demote.status).toBe(200);

      const self = await modalPost(m, `/users/${manager.id}/role`, { _method: 'patch', role: 'MEMBER' });
      expect(self.status).toBe(422);
      expect(self.text).toContain(LAST_MANAGER_MESSAGE);
      expect(self.headers['x-up-accept-layer']).toBeUndefined();
      expect((await User.findByPk(manager.id))!.role).toBe('MANAGER');

      const users = t.get(UsersService);
      await expect(users.deactivate(manager.email)).rejects.toThrow(UserAdminRefused);
      await expect(users.deactivate(manager.email)).rejects.toThrow(LAST_MANAGER_MESSAGE);
      await expect(users.changeRole(manager.email, 'MEMBER')).rejects.toThrow(LAST_MANAGER_MESSAGE);
      expect((await User.findByPk(manager.id))!.isActive).toBe(true);

      // The managers set aside above are inactive and never counted; a second active one makes demotion possible again.
      await users.changeRole(second.id, 'MANAGER');
      expect((await modalPost(m, `/users/${manager.id}/role`, { _method: 'patch', role: 'MEMBER' })).status).toBe(200);
      await users.changeRole(manager.id, 'MANAGER');
    } finally {
      await User.update({ isActive: true }, { where: { id: others.map((u) => u.id) } });
    }
  });

  it('leaves an active manager when two managers demote each other at the same moment', async () => {
    const a = await createUser(t, { role: 'MANAGER' });
    const b = await createUser(t, { role: 'MANAGER' });
    const others = await User.findAll({ where: { role: 'MANAGER', isActive: true, id: { [Op.notIn]: [a.id, b.id] } } });
    await User.update({ isActive: false }, { where: { id: others.map((u) => u.id) } });
    try {
      // Hold each transaction right after it has read the managers until the other has read them
      // too, or for two seconds when it cannot (because the first one's row locks block it).
      // Without the locks both would read two managers and both demotions would pass.
      const findAll = User.findAll.bind(User);
      let arrived = 0;
      let release!: () => void;
      const bothRead = new Promise<void>((resolve) => (release = resolve));
      const spy = jest.spyOn(User, 'findAll').mockImplementation((async (options?: { transaction?: unknown }) => {
        const rows = await findAll(options as never);
        if (options?.transaction) {
          if (++arrived === 2) release();
          await Promise.race([bothRead, new Promise((resolve) => setTimeout(resolve, 2000))]);
        }
        return rows;
      }) as never);
      const users = t.get(UsersService);
      let results: PromiseSettledResult<User>[] = [];
      try {
        results = await Promise.allSettled([users.changeRole(a.id, 'MEMBER'), users.changeRole(b.id, 'MEMBER')]);
      } finally {
        spy.mockRestore();
      }
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const [refusal] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refusal.reason).toBeInstanceOf(UserAdminRefused);
      expect(await User.count({ where: { id: [a.id, b.id], role: 'MANAGER', isActive: true } })).toBe(1);
    } finally {
      await User.update({ isActive: true }, { where: { id: others.map((u) => u.id) } });
    }
  });

  it('a manager who demotes themselves is sent to the dashboard', async () => {
    const self = await createUser(t, { role: 'MANAGER' });
    const c = await signIn(t.http, self.email);
    const response = await c.agent
      .post(`/users/${self.id}/role`)
      .type('form')
      .send({ _csrf: c.csrf, _method: 'patch', role: 'MEMBER' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/');
    expect((await c.agent.get('/users')).status).toBe(404);
  });

  it('works as plain pages without JavaScript', async () => {
    const member = await createUser(t);
    expect((await m.agent.get(`/users/${member.id}/deactivate`)).text).toContain('<nav');
    const response = await m.agent.post(`/users/${member.id}/deactivate`).type('form').send({ _csrf: m.csrf });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/users');
    expect((await request(t.http).get('/users')).status).toBe(303);
  });

  it('offers REPL methods by email', async () => {
    const member = await createUser(t);
    const users = t.get(UsersService);
    expect((await users.changeRole(member.email.toUpperCase(), 'MANAGER')).role).toBe('MANAGER');
    const result = await users.deactivate(member.email);
    expect(result.user.isActive).toBe(false);
    expect((await users.reactivate(member.email)).isActive).toBe(true);
    await expect(users.deactivate(uniqueEmail('nobody'))).rejects.toThrow(/There is no user/);
  });
});
