import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { CurrentProject } from '../../src/projects/current-project.decorator';
import { ProjectAccess } from '../../src/projects/project-access.decorator';
import { ProjectMember } from '../../src/projects/project-member.model';
import type { Project } from '../../src/projects/project.model';
import { createUser } from '../helpers/factories';
import { signIn, UNPOLY_MODAL } from '../helpers/http';
import { createProject } from '../helpers/project-factories';
import { testConfig } from '../helpers/test-config';

/**
 * A member-level route under /projects/:projectId, so that this branch can show what every
 * such route (the board, tickets) gets from @ProjectAccess('member').
 */
@Controller('projects/:projectId/probe')
@ProjectAccess('member')
class ProbeController {
  @Get()
  show(@CurrentProject() project: Project) {
    return { project: project.name };
  }
}

describe('project membership', () => {
  let app: NestExpressApplication;
  let http: ReturnType<NestExpressApplication['getHttpServer']>;

  beforeAll(async () => {
    const config = testConfig();
    @Module({ imports: [AppModule.forRoot(config)], controllers: [ProbeController] })
    class AppWithProbe {}
    app = await NestFactory.create<NestExpressApplication>(AppWithProbe, {
      bodyParser: false,
      logger: ['error', 'warn'],
    });
    configureApp(app, config);
    await app.init();
    http = app.getHttpServer();
  });
  afterAll(() => app.close());

  const get = <T>(type: { new (...args: never[]): T }) => app.get<T>(type);
  const newUser = (options: Parameters<typeof createUser>[1] = {}) => createUser({ get }, options);

  it('lists members with role and avatar, offers only active non-members, and links to the invite modal', async () => {
    const manager = await newUser({ role: 'MANAGER', name: 'Mia Manager' });
    const member = await newUser({ name: 'Max Member' });
    const outsider = await newUser({ name: 'Olga Outsider' });
    const inactive = await newUser({ name: 'Ivan Inactive' });
    await inactive.update({ isActive: false });
    const project = await createProject({ members: [manager, member] });
    const c = await signIn(http, manager.email);

    const response = await c.agent.get(`/projects/${project.id}/members`).set(UNPOLY_MODAL);
    expect(response.status).toBe(200);
    const list = response.text.slice(
      response.text.indexOf('id="member-list"'),
      response.text.indexOf('id="add-member-form"'),
    );
    expect(list).toContain(`data-member-id="${manager.id}"`);
    expect(list).toContain(`data-member-id="${member.id}"`);
    expect(list).toMatch(/Mia Manager[^]*?data-testid="member-role">Manager</);
    expect(list).toMatch(/Max Member[^]*?data-testid="member-role">Member</);
    expect(list).toContain('avatar-initials');
    const choices = response.text.slice(response.text.indexOf('id="member-user"'));
    expect(choices).toContain(`value="${outsider.id}"`);
    expect(choices).not.toContain(`value="${member.id}"`);
    expect(choices).not.toContain(`value="${inactive.id}"`);
    expect(response.text).toContain(`href="/invitations/new?projectId=${project.id}" up-layer="new modal"`);
  });

  it('adds an active user: the modal shows the new list and the page beneath hears projects:changed', async () => {
    const manager = await newUser({ role: 'MANAGER' });
    const newcomer = await newUser({ name: 'Nora Newcomer' });
    const project = await createProject({ members: [manager] });
    const c = await signIn(http, manager.email);

    const response = await c.agent
      .post(`/projects/${project.id}/members`)
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ userId: newcomer.id, _csrf: c.csrf });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.headers['x-up-events'])).toEqual([{ type: 'projects:changed' }]);
    expect(response.headers['x-up-accept-layer']).toBeUndefined();
    expect(response.text).toContain('Nora Newcomer is now a member.');
    expect(response.text).toContain(`data-member-id="${newcomer.id}"`);
    expect(await ProjectMember.count({ where: { projectId: project.id, userId: newcomer.id } })).toBe(1);

    const newcomerClient = await signIn(http, newcomer.email);
    expect((await newcomerClient.page('/')).text).toContain(project.name);
    expect((await newcomerClient.agent.get(`/projects/${project.id}/probe`)).status).toBe(200);

    const plain = await c.agent
      .post(`/projects/${project.id}/members`)
      .type('form')
      .send({ userId: (await newUser()).id, _csrf: c.csrf });
    expect(plain.status).toBe(303);
    expect(plain.headers.location).toBe(`/projects/${project.id}/members`);
  });

  it('refuses with 422 in the modal: no choice, a malformed id, an unknown, inactive or existing member', async () => {
    const manager = await newUser({ role: 'MANAGER' });
    const member = await newUser({ name: 'Already Here' });
    const inactive = await newUser();
    await inactive.update({ isActive: false });
    const project = await createProject({ members: [manager, member] });
    const c = await signIn(http, manager.email);
    const add = (userId: unknown) =>
      c.agent.post(`/projects/${project.id}/members`).set(UNPOLY_MODAL).type('form').send({ userId, _csrf: c.csrf });

    for (const [userId, message] of [
      ['', 'Choose a person to add.'],
      ['nope', 'Choose a person to add.'],
      ['0b7e1b8e-0000-4000-8000-000000000000', 'Choose one of the people in the list.'],
      [inactive.id, 'Choose one of the people in the list.'],
      [member.id, 'Already Here is already a member of this project.'],
    ]) {
      const response = await add(userId);
      expect(response.status).toBe(422);
      expect(response.text).toContain(message);
      expect(response.headers['x-up-events']).toBeUndefined();
    }
    expect(await ProjectMember.count({ where: { projectId: project.id } })).toBe(2);
  });

  it('removes a member, who loses access at once: the next request, even from an open modal, answers 404', async () => {
    const manager = await newUser({ role: 'MANAGER' });
    const member = await newUser();
    const project = await createProject({ members: [manager, member] });
    const memberClient = await signIn(http, member.email);
    expect((await memberClient.agent.get(`/projects/${project.id}/probe`).set(UNPOLY_MODAL)).status).toBe(200);
    expect((await memberClient.page('/')).text).toContain(project.name);

    const c = await signIn(http, manager.email);
    const response = await c.agent
      .post(`/projects/${project.id}/members/${member.id}`)
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ _method: 'delete', _csrf: c.csrf });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.headers['x-up-events'])).toEqual([{ type: 'projects:changed' }]);
    expect(response.text).not.toContain(`data-member-id="${member.id}"`);
    expect(response.text).toContain(`value="${member.id}"`); // now among the people to add

    const after = await memberClient.agent.get(`/projects/${project.id}/probe`).set(UNPOLY_MODAL);
    expect(after.status).toBe(404);
    expect(after.text).not.toContain(project.name);
    expect((await memberClient.page('/')).text).not.toContain(project.name);
  });

  it('confirms a removal on a page of its own (a modal over the members modal), scoped to the project', async () => {
    const manager = await newUser({ role: 'MANAGER' });
    const member = await newUser();
    const elsewhere = await newUser();
    const project = await createProject({ members: [manager, member] });
    await createProject({ members: [elsewhere] });
    const c = await signIn(http, manager.email);
    const confirm = await c.agent.get(`/projects/${project.id}/members/${member.id}/remove`).set(UNPOLY_MODAL);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(member.email);
    expect(confirm.text).toContain('id="confirm-remove-member"');
    for (const userId of [elsewhere.id, 'not-a-uuid'])
      expect((await c.agent.get(`/projects/${project.id}/members/${userId}/remove`)).status).toBe(404);
    expect(await ProjectMember.count({ where: { projectId: project.id } })).toBe(2);
  });

  it('answers 404 when removing someone who is not a member of this project (scoped to the URL)', async () => {
    const manager = await newUser({ role: 'MANAGER' });
    const elsewhere = await newUser();
    const project = await createProject({ members: [manager] });
    const other = await createProject({ members: [elsewhere] });
    const c = await signIn(http, manager.email);
    for (const userId of [elsewhere.id, 'not-a-uuid']) {
      const response = await c.agent.delete(`/projects/${project.id}/members/${userId}`).set('X-CSRF-Token', c.csrf);
      expect(response.status).toBe(404);
    }
    expect(await ProjectMember.count({ where: { projectId: other.id, userId: elsewhere.id } })).toBe(1);
  });

  it('lets only managers manage members: a member gets 404 and changes nothing', async () => {
    const member = await newUser();
    const outsider = await newUser();
    const project = await createProject({ members: [member] });
    const c = await signIn(http, member.email);
    expect((await c.agent.get(`/projects/${project.id}/members`)).status).toBe(404);
    expect(
      (await c.agent.post(`/projects/${project.id}/members`).type('form').send({ userId: outsider.id, _csrf: c.csrf }))
        .status,
    ).toBe(404);
    expect(
      (await c.agent.delete(`/projects/${project.id}/members/${member.id}`).set('X-CSRF-Token', c.csrf)).status,
    ).toBe(404);
    expect(await ProjectMember.count({ where: { projectId: project.id } })).toBe(1);
  });
});
