import request from 'supertest';
import { Session } from '../../src/accounts/session.model';
import { sessionHandle } from '../../src/accounts/session-view';
import type { User } from '../../src/accounts/user.model';
import { createUser, TEST_PASSWORD } from '../helpers/factories';
import { Client, client, sessionCookie, UNPOLY_MODAL } from '../helpers/http';
import { startTestApp, TestApp } from '../helpers/test-app';

const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

// Each test signs in a few times (argon2): allow for a loaded machine.
jest.setTimeout(60_000);

describe('profile: the sessions you can see and end', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** Signs in through the form from a browser with this User-Agent. */
  async function signInFrom(user: User, userAgent: string): Promise<Client> {
    const c = client(t.http);
    await c.page('/login');
    const response = await c.agent
      .post('/login')
      .set('User-Agent', userAgent)
      .type('form')
      .send({ email: user.email, password: TEST_PASSWORD, _csrf: c.csrf });
    expect(response.status).toBe(303);
    await c.page('/');
    return c;
  }

  /** The handle the profile shows for this client's session. */
  async function handleOf(c: Client): Promise<string> {
    const cookie = decodeURIComponent(sessionCookie(await c.agent.get('/'))!.split('=')[1]);
    return sessionHandle(cookie.slice(2, cookie.lastIndexOf('.')));
  }

  async function isSignedIn(c: Client): Promise<boolean> {
    const response = await c.agent.get('/');
    if (response.status === 303) expect(response.headers.location).toMatch(/^\/login/);
    return response.status === 200;
  }

  const endSession = (c: Client, handle: string, headers: Record<string, string> = UNPOLY_MODAL) =>
    c.agent.post(`/profile/sessions/${handle}`).set(headers).type('form').send({ _method: 'delete', _csrf: c.csrf });

  const endOthers = (c: Client, headers: Record<string, string> = UNPOLY_MODAL) =>
    c.agent.post('/profile/sessions').set(headers).type('form').send({ _method: 'delete', _csrf: c.csrf });

  it('lists each session with its browser in words, address, sign-in and last-seen time, this one marked', async () => {
    const user = await createUser(t);
    const laptop = await signInFrom(user, FIREFOX_LINUX);
    await signInFrom(user, SAFARI_IPHONE);
    const stranger = await signInFrom(await createUser(t), CHROME_WINDOWS);

    for (const headers of [UNPOLY_MODAL, {}]) {
      const page = await laptop.agent.get('/profile').set(headers);
      expect(page.status).toBe(200);
      const items = page.text.match(/<li class="list-group-item[^]*?<\/li>/g) ?? [];
      expect(items).toHaveLength(2);
      expect(items[0]).toContain('Firefox on Linux');
      expect(items[0]).toContain('this browser');
      expect(items[0]).not.toContain('sign-out-session-form');
      expect(items[1]).toContain('Safari on iOS');
      expect(items[1]).toContain('sign-out-session-form');
      for (const item of items) {
        expect(item).toMatch(/data-field="ip">[^<]*127\.0\.0\.1/);
        expect(item).toMatch(/signed in <time datetime="[^"]+"/);
        expect(item).toMatch(/last seen <time datetime="[^"]+"/);
      }
      expect(page.text).toContain('id="sign-out-others-form"');
      expect(page.text).not.toContain('Chrome on Windows');
      expect(page.text).not.toContain(await handleOf(stranger));
    }
    const sids = (await Session.findAll({ where: { userId: user.id } })).map((row) => row.sid);
    const page = await laptop.agent.get('/profile');
    for (const sid of sids) expect(page.text).not.toContain(sid);
  });

  it('signs out one session from the modal, which stays open on the updated list', async () => {
    const user = await createUser(t);
    const laptop = await signInFrom(user, FIREFOX_LINUX);
    const phone = await signInFrom(user, SAFARI_IPHONE);
    const response = await endSession(laptop, await handleOf(phone));
    expect(response.status).toBe(200);
    expect(response.text).toContain('That session is signed out.');
    expect(response.text).not.toContain('Safari on iOS');
    expect(response.headers['x-up-events']).toContain('profile:changed');
    expect(await isSignedIn(phone)).toBe(false);
    expect(await isSignedIn(laptop)).toBe(true);
  });

  it('signs out one session as a plain page: back to the profile with a message', async () => {
    const user = await createUser(t);
    const laptop = await signInFrom(user, FIREFOX_LINUX);
    const phone = await signInFrom(user, SAFARI_IPHONE);
    const response = await endSession(laptop, await handleOf(phone), {});
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/profile');
    expect((await laptop.page('/profile')).text).toContain('That session is signed out.');
    expect(await isSignedIn(phone)).toBe(false);
  });

  it('signs out everywhere else, keeping this session and its CSRF token working', async () => {
    const user = await createUser(t);
    const laptop = await signInFrom(user, FIREFOX_LINUX);
    const phone = await signInFrom(user, SAFARI_IPHONE);
    const desktop = await signInFrom(user, CHROME_WINDOWS);
    const stranger = await signInFrom(await createUser(t), CHROME_WINDOWS);

    const response = await endOthers(laptop);
    expect(response.status).toBe(200);
    expect(response.text).toContain('You are signed out everywhere else.');
    expect(response.text).not.toContain('id="sign-out-others-form"');
    expect(await isSignedIn(phone)).toBe(false);
    expect(await isSignedIn(desktop)).toBe(false);
    expect(await isSignedIn(laptop)).toBe(true);
    expect(await isSignedIn(stranger)).toBe(true);
    expect(await Session.count({ where: { userId: user.id } })).toBe(1);

    // The page beneath the modal still holds the same token: its forms keep working.
    const again = await laptop.agent
      .post('/profile')
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ _method: 'patch', _csrf: laptop.csrf, name: 'Still here' });
    expect(again.status).toBe(200);
  });

  it('signs out everywhere else as a plain page', async () => {
    const user = await createUser(t);
    const laptop = await signInFrom(user, FIREFOX_LINUX);
    const phone = await signInFrom(user, SAFARI_IPHONE);
    const response = await endOthers(laptop, {});
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/profile');
    expect((await laptop.page('/profile')).text).toContain('You are signed out everywhere else.');
    expect(await isSignedIn(phone)).toBe(false);
  });

  it("answers 404 for another person's session, an unknown one and a malformed one, ending nothing", async () => {
    const user = await createUser(t);
    const laptop = await signInFrom(user, FIREFOX_LINUX);
    const stranger = await signInFrom(await createUser(t), CHROME_WINDOWS);
    for (const handle of [await handleOf(stranger), 'A'.repeat(22), 'not-a-handle', '..%2F..%2Fx']) {
      const response = await endSession(laptop, handle);
      expect({ handle, status: response.status }).toEqual({ handle, status: 404 });
    }
    expect(await isSignedIn(stranger)).toBe(true);
    expect(await isSignedIn(laptop)).toBe(true);
  });

  it('needs a session and a CSRF token', async () => {
    const user = await createUser(t);
    const laptop = await signInFrom(user, FIREFOX_LINUX);
    const phone = await signInFrom(user, SAFARI_IPHONE);
    const handle = await handleOf(phone);
    const anonymous = await request(t.http)
      .post(`/profile/sessions/${handle}`)
      .type('form')
      .send({ _method: 'delete' });
    expect(anonymous.status).toBe(403);
    const withoutToken = await laptop.agent.post('/profile/sessions').type('form').send({ _method: 'delete' });
    expect(withoutToken.status).toBe(403);
    expect(await isSignedIn(phone)).toBe(true);
  });

  it('writes the last-seen time at most once a minute', async () => {
    const user = await createUser(t);
    const laptop = await signInFrom(user, FIREFOX_LINUX);
    const lastSeen = async () => (await Session.findOne({ where: { userId: user.id } }))!.lastSeenAt!.getTime();
    const first = await lastSeen();
    await laptop.agent.get('/');
    await laptop.agent.get('/');
    expect(await lastSeen()).toBe(first);

    const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 61_000);
    try {
      expect((await laptop.agent.get('/')).status).toBe(200);
    } finally {
      clock.mockRestore();
    }
    expect(await lastSeen()).toBeGreaterThan(first);
  });
});
