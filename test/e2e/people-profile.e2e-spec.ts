import request from 'supertest';
import { LOGIN_FAILED } from '../../src/accounts/auth.controller';
import { Session } from '../../src/accounts/session.model';
import { User } from '../../src/accounts/user.model';
import { client, signIn, UNPOLY_MODAL } from '../helpers/http';
import { createUser, TEST_PASSWORD } from '../helpers/factories';
import { startTestApp, TestApp } from '../helpers/test-app';

const NEW_PASSWORD = 'a brand new passphrase';

describe('profile', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const save = (
    c: Awaited<ReturnType<typeof signIn>>,
    fields: Record<string, string>,
    headers: Record<string, string> = UNPOLY_MODAL,
  ) =>
    c.agent
      .post('/profile')
      .set(headers)
      .type('form')
      .send({ _method: 'patch', _csrf: c.csrf, ...fields });

  const canSignIn = async (email: string, password: string) => {
    const c = client(t.http);
    await c.page('/login');
    return c.agent.post('/login').type('form').send({ email, password, _csrf: c.csrf });
  };

  it('shows name, read-only email, avatar and the password fields', async () => {
    const user = await createUser(t, { name: 'Pat Doe' });
    const c = await signIn(t.http, user.email);
    const response = await c.agent.get('/profile').set(UNPOLY_MODAL);
    expect(response.status).toBe(200);
    expect(response.text).toContain('value="Pat Doe"');
    expect(response.text).toMatch(new RegExp(`id="email" value="${user.email}" readonly`));
    expect(response.text).not.toMatch(/name="email"/);
    for (const field of ['currentPassword', 'newPassword', 'confirmPassword', 'avatar'])
      expect(response.text).toContain(`name="${field}"`);
    // The navbar reloads itself when the profile changes.
    expect(response.text).toMatch(/<nav[^>]*id="navbar"[^>]*data-reload-on="[^"]*\bprofile:changed\b[^"]*"/);
  });

  it('saves the name, closes the modal and tells the navbar', async () => {
    const user = await createUser(t, { name: 'Old Name' });
    const c = await signIn(t.http, user.email);
    const response = await save(c, { name: '  New Name  ' });
    expect(response.status).toBe(200);
    expect(response.headers['x-up-accept-layer']).toBe('null');
    expect(JSON.parse(response.headers['x-up-events'])).toEqual([
      { type: 'profile:changed' },
      { type: 'app:toast', message: 'Your profile is saved.' },
    ]);
    expect((await User.findByPk(user.id))!.name).toBe('New Name');
    const page = await c.page('/');
    expect(page.text).toContain('<span class="ms-1" data-testid="navbar-name">New Name</span>');
  });

  it('without JavaScript, saves and goes back to the profile page with a message', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    const response = await save(c, { name: 'Plain Form' }, {});
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/profile');
    expect((await c.page('/profile')).text).toContain('Your profile is saved.');
  });

  it('refuses an empty or too long name with 422 in the modal, writing nothing', async () => {
    const user = await createUser(t, { name: 'Kept' });
    const c = await signIn(t.http, user.email);
    const empty = await save(c, { name: '   ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('data-error-for="name">Enter your name.');
    const long = await save(c, { name: 'x'.repeat(101) });
    expect(long.status).toBe(422);
    expect(long.text).toContain('100 characters or fewer');
    expect(long.headers['x-up-accept-layer']).toBeUndefined();
    expect((await User.findByPk(user.id))!.name).toBe('Kept');
  });

  it('answers a wrong current password with 422 and changes nothing, not even the name', async () => {
    const user = await createUser(t, { name: 'Same' });
    const c = await signIn(t.http, user.email);
    const other = await signIn(t.http, user.email);
    const response = await save(c, {
      name: 'Changed',
      currentPassword: 'not my password',
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('data-error-for="currentPassword">Your current password is not correct.');
    // Passwords are never sent back into the form.
    expect(response.text).not.toContain(NEW_PASSWORD);
    expect((await User.findByPk(user.id))!.name).toBe('Same');
    expect((await canSignIn(user.email, TEST_PASSWORD)).status).toBe(303);
    expect((await other.agent.get('/')).status).toBe(200);
  });

  it('checks the new password: long enough and typed twice the same', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    const short = await save(c, {
      name: 'N',
      currentPassword: TEST_PASSWORD,
      newPassword: 'short',
      confirmPassword: 'short',
    });
    expect(short.status).toBe(422);
    expect(short.text).toContain('data-error-for="newPassword">Use at least 10 characters.');
    const mismatch = await save(c, {
      name: 'N',
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD + '!',
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.text).toContain('data-error-for="confirmPassword">The two new passwords do not match.');
    const missingCurrent = await save(c, { name: 'N', newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(missingCurrent.status).toBe(422);
    expect(missingCurrent.text).toContain('data-error-for="currentPassword"');
    expect((await canSignIn(user.email, TEST_PASSWORD)).status).toBe(303);
  });

  it('changes the password and ends every other session of the user, keeping this one', async () => {
    const user = await createUser(t);
    const stranger = await createUser(t);
    const c = await signIn(t.http, user.email);
    const laptop = await signIn(t.http, user.email);
    const phone = await signIn(t.http, user.email);
    const strangers = await signIn(t.http, stranger.email);
    expect(await Session.count({ where: { userId: user.id } })).toBeGreaterThanOrEqual(3);

    const response = await save(c, {
      name: 'Safe',
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(response.status).toBe(200);
    expect(response.headers['x-up-accept-layer']).toBe('null');

    expect(await Session.count({ where: { userId: user.id } })).toBe(1);
    for (const ended of [laptop, phone]) {
      const page = await ended.agent.get('/');
      expect(page.status).toBe(303);
      expect(page.headers.location).toMatch(/^\/login/);
    }
    expect((await c.agent.get('/')).status).toBe(200);
    expect((await strangers.agent.get('/')).status).toBe(200);

    const oldPassword = await canSignIn(user.email, TEST_PASSWORD);
    expect(oldPassword.status).toBe(422);
    expect(oldPassword.text).toContain(LOGIN_FAILED);
    expect((await canSignIn(user.email, NEW_PASSWORD)).status).toBe(303);
  });

  it('needs a session and a CSRF token', async () => {
    expect((await request(t.http).get('/profile')).headers.location).toBe('/login?next=%2Fprofile');
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    const response = await c.agent.post('/profile').type('form').send({ _method: 'patch', name: 'Nope' });
    expect(response.status).toBe(403);
  });
});
