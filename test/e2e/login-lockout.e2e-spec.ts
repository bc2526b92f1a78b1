import { DEVICE_COOKIE } from '../../src/accounts/device-cookie';
import { createUser, TEST_PASSWORD } from '../helpers/factories';
import { Client, client } from '../helpers/http';
import { startTestApp, TestApp } from '../helpers/test-app';

describe('sign-in lockout spares the owner (device cookies)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_ACCOUNT: '3' });
  });
  afterAll(() => t.close());

  const attempt = async (c: Client, email: string, password = 'wrong password!') => {
    await c.page('/login');
    return c.agent.post('/login').type('form').send({ email, password, _csrf: c.csrf });
  };

  /** A browser that signed in to `email` once and signed out again. */
  async function browserThatSignedIn(email: string): Promise<Client> {
    const c = client(t.http);
    const signedIn = await attempt(c, email, TEST_PASSWORD);
    expect(signedIn.status).toBe(303);
    const cookie = ([] as string[])
      .concat(signedIn.headers['set-cookie'] ?? [])
      .find((v) => v.startsWith(DEVICE_COOKIE));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Path=\/login/);
    await c.page('/');
    await c.agent.post('/logout').type('form').send({ _csrf: c.csrf });
    return c;
  }

  it('an attacker who exhausts the account budget locks out unknown browsers, not the owner', async () => {
    const owner = await createUser(t);
    const ownersBrowser = await browserThatSignedIn(owner.email);

    for (let i = 0; i < 3; i++) expect((await attempt(client(t.http), owner.email)).status).toBe(422);
    expect((await attempt(client(t.http), owner.email)).status).toBe(429);
    // An unknown browser is limited even with the right password...
    expect((await attempt(client(t.http), owner.email, TEST_PASSWORD)).status).toBe(429);
    // ...and so is a browser that signed in to another account (its cookie names that account).
    const other = await createUser(t);
    const attackersBrowser = await browserThatSignedIn(other.email);
    expect((await attempt(attackersBrowser, owner.email, TEST_PASSWORD)).status).toBe(429);

    // The owner's browser still signs in, after a typo even.
    expect((await attempt(ownersBrowser, owner.email)).status).toBe(422);
    expect((await attempt(ownersBrowser, owner.email, TEST_PASSWORD)).status).toBe(303);
  }, 60_000);

  it('a browser with a device cookie has a budget of its own', async () => {
    const owner = await createUser(t);
    const stolen = await browserThatSignedIn(owner.email);
    const ownersOther = await browserThatSignedIn(owner.email);
    for (let i = 0; i < 3; i++) expect((await attempt(stolen, owner.email)).status).toBe(422);
    expect((await attempt(stolen, owner.email, TEST_PASSWORD)).status).toBe(429);
    expect((await attempt(ownersOther, owner.email, TEST_PASSWORD)).status).toBe(303);
  }, 60_000);

  it('a forged or altered device cookie counts as an unknown browser', async () => {
    const owner = await createUser(t);
    for (let i = 0; i < 3; i++) expect((await attempt(client(t.http), owner.email)).status).toBe(422);
    const forged = client(t.http);
    forged.agent.jar.setCookie(`${DEVICE_COOKIE}=bm9uY2U.Zm9yZ2Vk; Path=/login`, '127.0.0.1', '/login');
    expect((await attempt(forged, owner.email, TEST_PASSWORD)).status).toBe(429);
  }, 60_000);
});
