import type { Express } from 'express';
import { randomUUID } from 'node:crypto';
import type { User } from '../../src/accounts/user.model';
import { createUser } from '../helpers/factories';
import { Client, client, signIn } from '../helpers/http';
import { createProject, createTicket } from '../helpers/project-factories';
import { startTestApp, TestApp } from '../helpers/test-app';

interface Route {
  method: string;
  path: string;
}

type Role = 'anonymous' | 'non-member' | 'member' | 'manager';

/** Every route of the running app under /projects, read from the Express router (so routes added later are covered too). */
function projectRoutes(t: TestApp): Route[] {
  const express = t.app.getHttpAdapter().getInstance() as Express & { router?: { stack: unknown[] }; _router?: { stack: unknown[] } };
  const stack = (express.router ?? express._router)!.stack as { route?: { path: string; methods: Record<string, boolean> } }[];
  const routes: Route[] = [];
  for (const layer of stack) {
    if (!layer.route || typeof layer.route.path !== 'string' || !layer.route.path.startsWith('/projects')) continue;
    for (const [method, enabled] of Object.entries(layer.route.methods)) {
      if (enabled && method !== '_all') routes.push({ method: method.toUpperCase(), path: layer.route.path });
    }
  }
  return routes;
}

/** Who may use a route, as DESIGN.md's route table says (not read from the code under test). */
function managerOnly({ method, path }: Route): boolean {
  if (!path.includes(':projectId')) return true; // GET /projects/new, POST /projects
  if (path.startsWith('/projects/:projectId/members')) return true;
  if (path === '/projects/:projectId/edit' || path === '/projects/:projectId/delete') return true;
  return path === '/projects/:projectId' && method !== 'GET';
}

describe('route × role matrix for project and ticket routes', () => {
  let t: TestApp;
  let routes: Route[];
  const users = {} as Record<Exclude<Role, 'anonymous'>, User>;
  const clients = {} as Record<Role, Client>;

  beforeAll(async () => {
    t = await startTestApp();
    routes = projectRoutes(t);
    users['non-member'] = await createUser(t);
    users.member = await createUser(t);
    users.manager = await createUser(t, { role: 'MANAGER' });
    // The anonymous visitor has a session and a CSRF token, so what answers is the guard, not CSRF.
    clients.anonymous = client(t.http);
    await clients.anonymous.page('/login');
    for (const role of ['non-member', 'member', 'manager'] as const) clients[role] = await signIn(t.http, users[role].email);
  });
  afterAll(() => t.close());

  it('finds the project routes of this build', () => {
    const listed = routes.map((route) => `${route.method} ${route.path}`);
    expect(listed).toEqual(
      expect.arrayContaining([
        'GET /projects/new',
        'POST /projects',
        'GET /projects/:projectId/edit',
        'PATCH /projects/:projectId',
        'GET /projects/:projectId/delete',
        'DELETE /projects/:projectId',
        'GET /projects/:projectId/members',
        'POST /projects/:projectId/members',
        'DELETE /projects/:projectId/members/:userId',
      ]),
    );
  });

  it.each(['anonymous', 'non-member', 'member', 'manager'] as Role[])('answers every route as expected for %s, never leaking data when refusing', async (role) => {
    const failures: string[] = [];
    for (const route of routes) {
      // A fresh project per request: some requests delete things.
      const secret = `Matrix secret ${randomUUID()}`;
      const project = await createProject({ name: secret, description: `${secret} description`, members: [users.member] });
      const ticket = await createTicket(project, users.member, { title: `Matrix ticket ${randomUUID()}` });
      const url = route.path
        .replace(':projectId', project.id)
        .replace(':ticketId', ticket.id)
        .replace(':userId', users.member.id)
        .replace(':status', 'OPEN')
        .replace(/:[A-Za-z]+/g, () => randomUUID());
      const c = clients[role];
      const response = await c.agent[route.method.toLowerCase() as 'get'](url).set('X-CSRF-Token', c.csrf).set('Accept', 'text/html');

      const refused = role === 'anonymous' || role === 'non-member' || (role === 'member' && managerOnly(route));
      const expected = role === 'anonymous' ? 303 : refused ? 404 : 'allowed';
      const label = `${role} ${route.method} ${route.path} → ${response.status}`;
      if (expected === 'allowed') {
        if ([401, 403, 404].includes(response.status) || response.status >= 500) failures.push(`${label}, expected access`);
      } else if (response.status !== expected) {
        failures.push(`${label}, expected ${expected}`);
      }
      if (role === 'anonymous' && !String(response.headers.location ?? '').startsWith('/login')) failures.push(`${label}, expected a redirect to /login`);
      // (The login redirect echoes the URL the visitor typed, id included; that reveals nothing.)
      const leaks = [secret, ticket.title, ...(role === 'anonymous' ? [] : [project.id])].some((data) => response.text.includes(data));
      if (refused && leaks) {
        failures.push(`${label} leaks the project's data`);
      }
    }
    expect(failures).toEqual([]);
  });
});
