import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { Session } from '../../src/accounts/session.model';
import { MODELS } from '../../src/database/models';
import { Invitation } from '../../src/invitations/invitation.model';
import { ProjectMember } from '../../src/projects/project-member.model';
import { Project } from '../../src/projects/project.model';
import { Ticket } from '../../src/tickets/ticket.model';
import { createUser, TEST_PASSWORD, uniqueEmail } from '../helpers/factories';
import { client, signIn } from '../helpers/http';
import { fillPath, listRoutes, RouteInfo, UNSAFE_METHODS } from '../helpers/routes';
import { pairedTimings, timed, timingTolerance } from '../helpers/timing';
import { startTestApp, TestApp } from '../helpers/test-app';

const PUBLIC_GET = [
  '/login',
  '/join/:token',
  '/forgot-password',
  '/reset-password/:resetToken',
  '/healthz',
  '/readyz',
  '/unsubscribe/:token',
];

/**
 * The only unsafe route without a CSRF check: one-click unsubscribe (RFC 8058), which mail
 * clients POST with neither session nor token; its signed token authenticates it.
 */
const CSRF_EXEMPT = ['POST /unsubscribe/:token'];

/** A token of the right shape whose signature is wrong: the exempt route refuses it itself. */
const TAMPERED_TOKEN = `${Buffer.from('x').toString('base64url')}.${'A'.repeat(43)}`;

/** Rows in every table but sessions (which signing in itself writes). */
async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const model of MODELS) if (model !== Session) counts[model.name] = await model.count();
  return counts;
}

function unique(routes: RouteInfo[]): RouteInfo[] {
  const seen = new Set<string>();
  return routes.filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
}

describe('security over every route', () => {
  let t: TestApp;
  let routes: RouteInfo[];
  let params: Record<string, string>;
  let managerEmail: string;

  beforeAll(async () => {
    t = await startTestApp();
    routes = unique(listRoutes(t));
    const manager = await createUser(t, { role: 'MANAGER' });
    managerEmail = manager.email;
    const member = await createUser(t);
    const project = await Project.create({ name: `Security ${randomBytes(3).toString('hex')}`, createdBy: manager.id });
    await ProjectMember.bulkCreate([
      { projectId: project.id, userId: manager.id },
      { projectId: project.id, userId: member.id },
    ]);
    await project.increment('ticketSeq');
    const ticket = await Ticket.create({
      projectId: project.id,
      number: 1,
      reporterId: member.id,
      title: 'Security ticket',
    });
    const invitation = await Invitation.create({
      tokenHash: randomBytes(32).toString('hex'),
      email: uniqueEmail('invitee'),
      senderId: manager.id,
      projectId: project.id,
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    params = {
      projectId: project.id,
      ticketId: ticket.id,
      userId: member.id,
      id: invitation.id,
      invitationId: invitation.id,
      token: 'x'.repeat(43),
      file: 'none.webp',
    };
  });
  afterAll(() => t.close());

  it('finds the routes to check', () => {
    expect(routes.length).toBeGreaterThan(5);
  });

  it('refuses every unsafe route without a CSRF token (403), signed in or not, writing nothing', async () => {
    const unsafe = routes.filter(
      (r) => UNSAFE_METHODS.includes(r.method) && !CSRF_EXEMPT.includes(`${r.method} ${r.path}`),
    );
    expect(unsafe.length).toBeGreaterThan(0);
    const signedIn = await signIn(t.http, managerEmail);
    const before = await rowCounts();
    for (const route of unsafe) {
      const path = fillPath(route.path, params);
      const method = route.method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete';
      const asManager = await signedIn.agent[method](path)
        .type('form')
        .send({ name: 'x', title: 'x', email: uniqueEmail() });
      expect({ route: `${route.method} ${route.path}`, status: asManager.status }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 403,
      });
      const anonymous = await request(t.http)
        [method](path)
        .type('form')
        .send({ email: managerEmail, password: TEST_PASSWORD });
      expect({ route: `${route.method} ${route.path}`, status: anonymous.status }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 403,
      });
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('exempts from CSRF only the routes listed, which refuse a forged token by themselves, writing nothing', async () => {
    const exempt = routes.filter((r) => CSRF_EXEMPT.includes(`${r.method} ${r.path}`));
    expect(exempt.map((r) => `${r.method} ${r.path}`)).toEqual(CSRF_EXEMPT);
    const before = await rowCounts();
    for (const route of exempt) {
      const path = fillPath(route.path, { ...params, token: TAMPERED_TOKEN });
      const response = await request(t.http).post(path).type('form').send({ 'List-Unsubscribe': 'One-Click' });
      expect({ route: route.path, status: response.status }).toEqual({ route: route.path, status: 422 });
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('sends anonymous visitors of every non-public page to the login page', async () => {
    for (const route of routes.filter((r) => r.method === 'GET' && !PUBLIC_GET.includes(r.path))) {
      const response = await request(t.http).get(fillPath(route.path, params));
      expect({
        route: route.path,
        status: response.status,
        location: response.headers.location?.split('?')[0],
      }).toEqual({
        route: route.path,
        status: 303,
        location: '/login',
      });
    }
  });

  it('sends the security headers on every page', async () => {
    const signedIn = await signIn(t.http, managerEmail);
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const response = await signedIn.agent.get(fillPath(route.path, params));
      const csp = String(response.headers['content-security-policy'] ?? '');
      expect({ route: route.path, csp }).toEqual({
        route: route.path,
        csp: expect.stringContaining("frame-ancestors 'none'") as unknown,
      });
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toMatch(/^(same-origin|no-referrer)$/);
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  it("serves the layout's assets, and nothing else of the npm packages they come from", async () => {
    const page = await request(t.http).get('/login');
    const assets = [...page.text.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(assets).toEqual(
      expect.arrayContaining(['/assets/unpoly/unpoly.min.js', '/assets/bootstrap/css/bootstrap.min.css']),
    );
    for (const asset of assets)
      expect({ asset, status: (await request(t.http).get(asset)).status }).toEqual({ asset, status: 200 });
    expect((await request(t.http).get('/assets/unpoly/unpoly.min.js.map')).status).toBe(200);

    for (const path of [
      '/assets/unpoly/package.json',
      '/assets/unpoly/README.md',
      '/assets/unpoly/unpoly.js',
      '/assets/unpoly/unpoly-migrate.min.js',
      '/assets/unpoly/',
      '/assets/bootstrap/../package.json',
      '/assets/bootstrap/%2e%2e/package.json',
      '/assets/bootstrap/css/bootstrap.css',
      '/assets/bootstrap/js/bootstrap.esm.js',
      '/assets/bootstrap/css/',
    ]) {
      expect({ path, status: (await request(t.http).get(path)).status }).toEqual({ path, status: 404 });
    }
  });
});

describe('no account enumeration through sign-in', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The production cost: with the test runs' minimal argon2, a skipped dummy verification would hide in the noise.
    t = await startTestApp({ PASSWORD_HASH_COST: 'standard' });
  });
  afterAll(() => t.close());

  it('answers known and unknown emails alike, in about the same time', async () => {
    const known = await createUser(t);
    const c = client(t.http);
    await c.page('/login');
    const attempt = (which: 'known' | 'unknown') =>
      timed(() =>
        c.agent
          .post('/login')
          .type('form')
          .send({
            email: which === 'known' ? known.email : uniqueEmail('nobody'),
            password: 'wrong password!',
            _csrf: c.csrf,
          }),
      );
    const { pairs, medianGap, medianTime } = await pairedTimings(attempt);
    for (const [a, b] of pairs) {
      expect([a.status, b.status]).toEqual([422, 422]);
      expect(a.text.replace(/value="[^"]*"/g, '')).toBe(b.text.replace(/value="[^"]*"/g, ''));
    }
    expect(Math.abs(medianGap)).toBeLessThan(timingTolerance(medianTime));
  }, 120_000);
});
