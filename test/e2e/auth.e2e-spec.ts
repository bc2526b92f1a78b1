import http from 'node:http';
import request from 'supertest';
import { Session } from '../../src/accounts/session.model';
import { LOGIN_FAILED } from '../../src/accounts/auth.controller';
import { AccountsService } from '../../src/accounts/accounts.service';
import { SESSION_SIGNAL_HEADER, SIGNED_OUT_MESSAGE } from '../../src/common/unpoly/session-signal';
import { Project } from '../../src/projects/project.model';
import { createUser, TEST_PASSWORD, uniqueEmail } from '../helpers/factories';
import { client, csrfFrom, sessionCookie, signIn, submitForm, UNPOLY_MODAL } from '../helpers/http';
import { startTestApp, TestApp } from '../helpers/test-app';

const SIGNAL = SESSION_SIGNAL_HEADER.toLowerCase();

describe('sign-in, sessions and CSRF', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('sends an anonymous visitor to the login page, remembering where they were going', async () => {
    const response = await request(t.http).get('/?filter=mine');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/login?next=%2F%3Ffilter%3Dmine');
  });

  it('shows the login form with a CSRF token', async () => {
    const response = await request(t.http).get('/login');
    expect(response.status).toBe(200);
    expect(response.text).toContain('name="email"');
    expect(response.text).toContain('name="password"');
    expect(csrfFrom(response.text)).toMatch(/^[0-9a-f]{32,}$/);
  });

  it('signs in with the right password, with a new session id, and lands on the dashboard', async () => {
    const user = await createUser(t, { role: 'MANAGER' });
    const c = client(t.http);
    const loginPage = await c.page('/login');
    const before = sessionCookie(loginPage);
    const response = await c.agent
      .post('/login')
      .type('form')
      .send({ email: user.email.toUpperCase(), password: TEST_PASSWORD, _csrf: c.csrf });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/');
    const after = sessionCookie(response);
    expect(before).toBeDefined();
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const dashboard = await c.page('/');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain(user.email);
    // The CSRF token is issued afresh with the new session.
    expect(c.csrf).not.toBe(csrfFrom(loginPage.text));
  });

  it('stores the signed-in session before the redirect is sent: following it at the first header byte works', async () => {
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.http.address() as { port: number };
    for (let attempt = 0; attempt < 5; attempt++) {
      const user = await createUser(t);
      const loginPage = await request(t.http).get('/login');
      const cookie = sessionCookie(loginPage)!;
      const csrf = csrfFrom(loginPage.text);
      // As a browser does: follow the 303 the moment its headers arrive, not after its body.
      const location = await new Promise<{ cookie: string; status: number }>((resolve, reject) => {
        const body = new URLSearchParams({ email: user.email, password: TEST_PASSWORD, _csrf: csrf }).toString();
        const post = http.request(
          {
            port,
            host: '127.0.0.1',
            method: 'POST',
            path: '/login',
            headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          },
          (response) => {
            const signedIn =
              ([] as string[])
                .concat(response.headers['set-cookie'] ?? [])
                .find((value) => value.startsWith('hticket.sid='))
                ?.split(';')[0] ?? '';
            resolve({ cookie: signedIn, status: response.statusCode ?? 0 });
            response.resume();
          },
        );
        post.on('error', reject);
        post.end(body);
      });
      expect(location.status).toBe(303);
      const dashboard = await request(t.http).get('/').set('Cookie', location.cookie);
      expect({ attempt, status: dashboard.status }).toEqual({ attempt, status: 200 });
    }
  }, 30_000);

  it('answers a wrong password and an unknown email with the same message', async () => {
    const user = await createUser(t);
    const attempt = async (email: string) => {
      const c = client(t.http);
      await c.page('/login');
      return c.agent.post('/login').type('form').send({ email, password: 'wrong password!', _csrf: c.csrf });
    };
    const wrongPassword = await attempt(user.email);
    const unknownEmail = await attempt(uniqueEmail('nobody'));
    expect(wrongPassword.status).toBe(422);
    expect(unknownEmail.status).toBe(422);
    expect(wrongPassword.text).toContain(LOGIN_FAILED);
    expect(unknownEmail.text).toContain(LOGIN_FAILED);
    const errorOf = (html: string) => /<div class="alert alert-danger"[^>]*>([^<]*)</.exec(html)?.[1];
    expect(errorOf(wrongPassword.text)).toBe(errorOf(unknownEmail.text));
  });

  it('answers sign-in with an address no invitation would take (quoted, commented, two of them) like an unknown one', async () => {
    const user = await createUser(t);
    for (const email of [
      `"${user.email}"`,
      `"<x>"@example.com`,
      `"${user.email.split('@')[0]}"@${user.email.split('@')[1]}`,
      `x(${user.email})@example.com`,
      `Someone <${user.email}>`,
      `${user.email},other@example.com`,
      '@',
      '"',
    ]) {
      const c = client(t.http);
      await c.page('/login');
      const response = await c.agent
        .post('/login')
        .type('form')
        .send({ email, password: 'wrong password!', _csrf: c.csrf });
      expect({ email, status: response.status }).toEqual({ email, status: 422 });
      expect(response.text).toContain(LOGIN_FAILED);
    }
  }, 120_000);

  it('refuses a deactivated account with the same message', async () => {
    const user = await createUser(t);
    await user.update({ isActive: false });
    const c = client(t.http);
    await c.page('/login');
    const response = await c.agent
      .post('/login')
      .type('form')
      .send({ email: user.email, password: TEST_PASSWORD, _csrf: c.csrf });
    expect(response.status).toBe(422);
    expect(response.text).toContain(LOGIN_FAILED);
  });

  it('goes to a same-site next page after sign-in, never to another site', async () => {
    const user = await createUser(t);
    for (const [next, expected] of [
      ['/profile', '/profile'],
      ['https://evil.example/', '/'],
      ['//evil.example/', '/'],
    ]) {
      const c = client(t.http);
      await c.page('/login');
      const response = await c.agent
        .post('/login')
        .type('form')
        .send({ email: user.email, password: TEST_PASSWORD, next, _csrf: c.csrf });
      expect(response.headers.location).toBe(expected);
    }
  });

  it('ends the session on the server at logout: the old cookie no longer works', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    const cookie = sessionCookie(await c.agent.get('/'))!;
    expect((await request(t.http).get('/').set('Cookie', cookie)).status).toBe(200);

    const logout = await c.agent.post('/logout').type('form').send({ _csrf: c.csrf });
    expect(logout.status).toBe(303);
    expect(logout.headers.location).toBe('/login');
    const replay = await request(t.http).get('/').set('Cookie', cookie);
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toMatch(/^\/login/);
    expect(await Session.count({ where: { userId: user.id } })).toBe(0);
  });

  it('rejects unsafe requests without a valid CSRF token with 403', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    const missing = await c.agent.post('/logout').type('form').send({});
    expect(missing.status).toBe(403);
    const wrong = await c.agent.post('/logout').set('X-CSRF-Token', 'not-the-token').send();
    expect(wrong.status).toBe(403);
    const viaHeader = await c.agent.post('/logout').set('X-CSRF-Token', c.csrf).send();
    expect(viaHeader.status).toBe(303);
    // The login form is protected too (login CSRF).
    const anonymous = await request(t.http)
      .post('/login')
      .type('form')
      .send({ email: user.email, password: TEST_PASSWORD });
    expect(anonymous.status).toBe(403);
  });

  it('sets HttpOnly and SameSite=Lax on the session cookie', async () => {
    const response = await request(t.http).get('/login');
    const cookie = ([] as string[])
      .concat(response.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('hticket.sid='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('ends a session that was idle too long (its server-side expiry passed)', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    await Session.update({ expires: new Date(Date.now() - 1000) }, { where: { userId: user.id } });
    const response = await c.agent.get('/');
    expect(response.status).toBe(303);
    expect(response.headers.location).toMatch(/^\/login/);
  });

  it('ends a session older than the absolute lifetime, however active', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    const later = Date.now() + (t.config.sessionAbsoluteHours + 1) * 3_600_000;
    const clock = jest.spyOn(Date, 'now').mockReturnValue(later);
    try {
      const response = await c.agent.get('/');
      expect(response.status).toBe(303);
      expect(response.headers.location).toMatch(/^\/login/);
    } finally {
      clock.mockRestore();
    }
  });

  it('renders a friendly 404 page for an unknown address', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    const response = await c.agent.get('/no/such/page');
    expect(response.status).toBe(404);
    expect(response.text).toContain('Not found');
    expect(response.text).toContain('<main');
  });

  it('renders the error page for a modal request too, with the content Unpoly puts in the layer', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    const response = await c.agent.get('/no/such/modal').set(UNPOLY_MODAL);
    expect(response.status).toBe(404);
    expect(response.text).toMatch(/<main[^>]*up-main[^>]*>[\s\S]*There is nothing here[\s\S]*<\/main>/);
  });
});

describe('a page whose session ended (the answers public/recovery.js acts on)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('a form sent after its session ended: 403, "signed-out", nothing saved; without JavaScript the page says so', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    await t.app.get(AccountsService).endSessions(user.id);
    const inModal = await submitForm(c, 'post', '/projects', { name: 'Never made' });
    expect(inModal.status).toBe(403);
    expect(inModal.headers[SIGNAL]).toBe('signed-out');
    const plain = await submitForm(c, 'post', '/projects', { name: 'Never made' }, {});
    expect(plain.status).toBe(403);
    expect(plain.text).toContain(SIGNED_OUT_MESSAGE);
    expect(await Project.count({ where: { name: 'Never made' } })).toBe(0);
  });

  it('a form with an earlier session\'s token while signed in: 403, "token-stale", and the page carries the current token and person', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    const stale = c.csrf;
    // Signed out and in again in another tab of the same browser: a new session, a new token.
    await submitForm(c, 'post', '/logout', {}, {});
    await c.page('/login');
    await c.agent.post('/login').type('form').send({ email: user.email, password: TEST_PASSWORD, _csrf: c.csrf });
    const response = await c.agent
      .post('/profile')
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ _csrf: stale, _method: 'patch', name: 'x' });
    expect(response.status).toBe(403);
    expect(response.headers[SIGNAL]).toBe('token-stale');
    const current = await c.page('/');
    expect(csrfFrom(response.text)).toBe(c.csrf);
    expect(csrfFrom(current.text)).not.toBe(stale);
    expect(response.text).toContain(`<meta name="signed-in-user" content="${user.id}">`);
  });

  it('a page or modal asked by Unpoly without a session: 401 "signed-out" instead of the sign-in form in its place', async () => {
    const response = await request(t.http).get('/profile').set(UNPOLY_MODAL);
    expect(response.status).toBe(401);
    expect(response.headers[SIGNAL]).toBe('signed-out');
    expect(response.text).toContain('Your session has ended');
    expect(response.text).not.toContain('name="password"');
    // Without JavaScript: the sign-in page, as before.
    const plain = await request(t.http).get('/profile');
    expect([plain.status, plain.headers.location]).toEqual([303, '/login?next=%2Fprofile']);
  });

  it('signing in again in a layer: a new session, the layer accepted with who signed in, and a page with the new token', async () => {
    const user = await createUser(t);
    const c = client(t.http);
    const form = await c.page('/login?again=1');
    expect(form.text).toContain('Sign in again');
    expect(form.text).toContain('name="again" value="1"');
    const before = sessionCookie(form);
    const wrong = await c.agent
      .post('/login')
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ email: user.email, password: 'wrong password!', again: '1', _csrf: c.csrf });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Sign in again');
    expect(wrong.headers['x-up-accept-layer']).toBeUndefined();
    const response = await c.agent
      .post('/login')
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ email: user.email, password: TEST_PASSWORD, again: '1', _csrf: c.csrf });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.headers['x-up-accept-layer'])).toEqual({ userId: user.id });
    expect(sessionCookie(response)).not.toBe(before);
    const token = csrfFrom(response.text);
    expect(token).not.toBe(c.csrf);
    expect(response.text).toContain(`<meta name="signed-in-user" content="${user.id}">`);
    // That token is the new session's: a form sent with it is saved.
    const saved = await c.agent
      .post('/profile')
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ _csrf: token, _method: 'patch', name: 'Signed In Again' });
    expect(saved.status).toBe(200);
  });
});

describe('sign-in rate limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_ACCOUNT: '3', LOGIN_RATE_LIMIT_PER_IP: '8' });
  });
  afterAll(() => t.close());

  const attempt = async (email: string, password = 'wrong password!') => {
    const c = client(t.http);
    await c.page('/login');
    return c.agent.post('/login').type('form').send({ email, password, _csrf: c.csrf });
  };

  it('limits failed attempts per account with a friendly 429 page', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 3; i++) expect((await attempt(user.email)).status).toBe(422);
    const blocked = await attempt(user.email);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Too many sign-in attempts');
    // Even the right password waits until the window passes.
    expect((await attempt(user.email, TEST_PASSWORD)).status).toBe(429);
  });

  it('limits attempts per IP address across accounts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt(uniqueEmail('spray'))).status);
    expect(statuses).toContain(429);
  });
});
