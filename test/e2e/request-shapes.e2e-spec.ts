import request from 'supertest';
import { User } from '../../src/accounts/user.model';
import { Project } from '../../src/projects/project.model';
import { createUser } from '../helpers/factories';
import { Client, signIn } from '../helpers/http';
import { fillPath, listRoutes, UNSAFE_METHODS } from '../helpers/routes';
import { startTestApp, TestApp } from '../helpers/test-app';

/** JSON nested this deep used to overflow the stack in class-transformer (a 500). */
function deeplyNested(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

/** Forms accept what HTML forms send, nothing else; `_method` turns a POST into PATCH, PUT or DELETE only. */
describe('request shapes: forms only, and a strict method override', () => {
  let t: TestApp;
  let manager: User;
  let c: Client;

  beforeAll(async () => {
    t = await startTestApp();
    manager = await createUser(t, { role: 'MANAGER' });
    c = await signIn(t.http, manager.email);
  }, 60_000);
  afterAll(() => t.close());

  const projectsOfManager = () => Project.count({ where: { createdBy: manager.id } });

  it('refuses JSON nested 6,000 levels deep with 415, not a 500, writing nothing', async () => {
    const before = await projectsOfManager();
    const response = await c.agent
      .post('/projects')
      .set('X-CSRF-Token', c.csrf)
      .set('Accept', 'text/html')
      .type('json')
      .send(`{"name":${deeplyNested(6_000)}}`);
    expect(response.status).toBe(415);
    expect(response.text).toContain('id="error-message"');
    expect(await projectsOfManager()).toBe(before);
  });

  it('refuses a field that is an object with a non-callable toString with 415, not a 500', async () => {
    const response = await c.agent
      .post('/profile')
      .set('X-CSRF-Token', c.csrf)
      .send({ _method: 'patch', name: { toString: 1, valueOf: 1 } });
    expect(response.status).toBe(415);
    const project = await c.agent
      .post('/projects')
      .set('X-CSRF-Token', c.csrf)
      .send({ name: { toString: {} }, description: 'x' });
    expect(project.status).toBe(415);
    expect((await User.findByPk(manager.id))!.name).toBe(manager.name);
  });

  it('answers JSON and other non-form bodies with 415 on every unsafe route', async () => {
    // A client of its own: today's code would sign it out at POST /logout.
    const own = await signIn(t.http, manager.email);
    const failures: string[] = [];
    for (const route of listRoutes(t).filter((r) => UNSAFE_METHODS.includes(r.method))) {
      const path = fillPath(route.path, {});
      const method = route.method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete';
      for (const type of ['application/json', 'text/plain', 'application/xml']) {
        const response = await own.agent[method](path).set('X-CSRF-Token', own.csrf).type(type).send('{"name":"x"}');
        if (response.status !== 415) failures.push(`${route.method} ${route.path} ${type} → ${response.status}`);
      }
    }
    expect(failures).toEqual([]);
  }, 30_000);

  it('lets an empty body through, with or without a content type', async () => {
    const other = await signIn(t.http, manager.email);
    const response = await other.agent.post('/logout').set('X-CSRF-Token', other.csrf).set('Content-Length', '0');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/login');
  }, 30_000);

  it('keeps form fields flat: bracketed names stay plain names, however deep', async () => {
    const key = `name${'[a]'.repeat(6_000)}`;
    const response = await c.agent
      .post('/projects')
      .type('form')
      .send(`${encodeURIComponent(key)}=x&_csrf=${encodeURIComponent(c.csrf)}`);
    expect(response.status).toBe(422);
    expect(response.text).toContain('Enter a name for the project.');
  });

  it('refuses a form with more fields than any form has (413)', async () => {
    const fields = Array.from({ length: 500 }, (_, i) => `f${i}=x`).join('&');
    const response = await c.agent
      .post('/projects')
      .set('Accept', 'text/html')
      .type('form')
      .send(`${fields}&name=Many&_csrf=${encodeURIComponent(c.csrf)}`);
    expect(response.status).toBe(413);
    expect(response.text).toContain('id="error-message"');
  });

  it('answers a repeated field as the form error it is (422)', async () => {
    const before = await projectsOfManager();
    const response = await c.agent
      .post('/projects')
      .type('form')
      .send(`name=a&name=b&_csrf=${encodeURIComponent(c.csrf)}`);
    expect(response.status).toBe(422);
    expect(await projectsOfManager()).toBe(before);
  });

  it.each(['HEAD', 'head', 'GET', 'OPTIONS', 'POST', 'CONNECT', ''])(
    'refuses _method=%s on a POST with 400 and a body, before the CSRF check',
    async (method) => {
      const other = await signIn(t.http, manager.email);
      for (const withToken of [false, true]) {
        const response = await other.agent
          .post('/logout')
          .set('Accept', 'text/html')
          .type('form')
          .send({ _method: method, ...(withToken ? { _csrf: other.csrf } : {}) });
        expect(response.status).toBe(400);
        expect(response.text).toContain('id="error-message"');
        expect(Number(response.headers['content-length'])).toBe(Buffer.byteLength(response.text));
      }
      // Still signed in: nothing happened.
      expect((await other.agent.get('/')).status).toBe(200);
    },
    30_000,
  );

  it('turns a POST into PATCH or DELETE with _method, and needs the CSRF token for them', async () => {
    const project = await Project.create({ name: 'Override me', createdBy: manager.id });
    const refused = await c.agent
      .post(`/projects/${project.id}`)
      .type('form')
      .send({ _method: 'PATCH', name: 'Overridden' });
    expect(refused.status).toBe(403);
    const patched = await c.agent
      .post(`/projects/${project.id}`)
      .type('form')
      .send({ _method: 'patch', name: 'Overridden', _csrf: c.csrf });
    expect(patched.status).toBe(303);
    expect((await Project.findByPk(project.id))!.name).toBe('Overridden');
  });

  it('ignores _method on anything but a POST', async () => {
    const response = await request(t.http).get('/login?_method=DELETE');
    expect(response.status).toBe(200);
  });
});
