import request from 'supertest';
import { User } from '../../src/accounts/user.model';
import { createUser, TEST_PASSWORD } from '../helpers/factories';
import { Client, sessionCookie, signIn, UNPOLY_MODAL } from '../helpers/http';
import { startTestApp, TestApp } from '../helpers/test-app';

const ROUNDS = 20;
/** Parallel loops of the stolen cookie, and how many requests each still sends once the session was ended. */
const LOOPS = 3;
const REQUESTS_AFTER_END = 3;
const NEW_PASSWORD = 'a brand new passphrase';

/**
 * A session that was ended stays ended, even while a stolen copy of its cookie keeps sending
 * requests that write the session (each sets a flash message) around the moment it ends.
 */
describe('sessions end whatever races them', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** The cookie of this client's session (express-session sends it with every response). */
  async function cookieOf(c: Client): Promise<string> {
    const cookie = sessionCookie(await c.agent.get('/'));
    if (!cookie) throw new Error('no session cookie');
    return cookie;
  }

  /**
   * Loops of session-writing requests with the cookie (removing a missing avatar: a flash, no
   * other write) that run until `ended()` is true and then send a few more.
   */
  function hammer(cookie: string, csrf: string, ended: () => boolean): Promise<void[]> {
    const loop = async () => {
      let after = 0;
      while (after < REQUESTS_AFTER_END) {
        if (ended()) after += 1;
        await request(t.http)
          .post('/profile/avatar')
          .set('Cookie', cookie)
          .type('form')
          .send({ _method: 'delete', _csrf: csrf });
      }
    };
    return Promise.all(Array.from({ length: LOOPS }, loop));
  }

  async function isSignedIn(cookie: string): Promise<boolean> {
    const response = await request(t.http).get('/').set('Cookie', cookie);
    if (response.status === 200) return true;
    expect(response.status).toBe(303);
    expect(response.headers.location).toMatch(/^\/login/);
    return false;
  }

  it(`keeps a signed-out session signed out while its stolen cookie writes the session (${ROUNDS} rounds)`, async () => {
    let survivals = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const user = await createUser(t);
      const owner = await signIn(t.http, user.email);
      const cookie = await cookieOf(owner);
      let ended = false;
      const stolen = hammer(cookie, owner.csrf, () => ended);
      const logout = await owner.agent.post('/logout').type('form').send({ _csrf: owner.csrf });
      expect(logout.status).toBe(303);
      ended = true;
      await stolen;
      if (await isSignedIn(cookie)) survivals += 1;
    }
    expect(survivals).toBe(0);
  }, 240_000);

  it(`signs out every other session at a password change while one of them writes its session (${ROUNDS} rounds)`, async () => {
    let survivals = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const user = await createUser(t);
      const owner = await signIn(t.http, user.email);
      const other = await signIn(t.http, user.email);
      const cookie = await cookieOf(other);
      let ended = false;
      const stolen = hammer(cookie, other.csrf, () => ended);
      const change = await owner.agent.post('/profile').set(UNPOLY_MODAL).type('form').send({
        _method: 'patch',
        _csrf: owner.csrf,
        name: 'Raced',
        currentPassword: TEST_PASSWORD,
        newPassword: NEW_PASSWORD,
        confirmPassword: NEW_PASSWORD,
      });
      expect(change.status).toBe(200);
      ended = true;
      await stolen;
      if (await isSignedIn(cookie)) survivals += 1;
      // The one who changed the password stays signed in.
      expect((await owner.agent.get('/')).status).toBe(200);
    }
    expect(survivals).toBe(0);
  }, 300_000);

  it('signs out every session of a deactivated person while one of them writes its session', async () => {
    const manager = await createUser(t, { role: 'MANAGER' });
    const admin = await signIn(t.http, manager.email);
    const user = await createUser(t);
    const victim = await signIn(t.http, user.email);
    const cookie = await cookieOf(victim);
    let ended = false;
    const stolen = hammer(cookie, victim.csrf, () => ended);
    await admin.page(`/users/${user.id}/deactivate`);
    const deactivate = await admin.agent.post(`/users/${user.id}/deactivate`).type('form').send({ _csrf: admin.csrf });
    expect(deactivate.status).toBe(303);
    ended = true;
    await stolen;
    expect(await isSignedIn(cookie)).toBe(false);
    expect((await User.findByPk(user.id))!.isActive).toBe(false);
  }, 60_000);
});
