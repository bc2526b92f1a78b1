import sharp from 'sharp';
import request from 'supertest';
import { AVATAR_DIMENSIONS_MESSAGE, AVATAR_SIZE_MESSAGE, AVATAR_TYPE_MESSAGE } from '../../src/accounts/avatar-storage';
import { User } from '../../src/accounts/user.model';
import { createUser } from '../helpers/factories';
import { filesIn, flatPng, image, noisyPng } from '../helpers/images';
import { Client, csrfFrom, signIn, UNPOLY_MODAL } from '../helpers/http';
import { startTestApp, TestApp } from '../helpers/test-app';

const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>',
);

describe('avatars', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const upload = (c: Client, content: Buffer, filename: string, contentType: string) =>
    c.agent
      .post('/profile/avatar')
      .set(UNPOLY_MODAL)
      .set('X-CSRF-Token', c.csrf)
      .attach('avatar', content, { filename, contentType });

  const avatarOf = async (user: User) => (await User.findByPk(user.id))!.avatar;

  it.each([
    ['jpeg', 'photo.jpg', 'image/jpeg'],
    ['png', 'picture.png', 'image/png'],
    ['webp', 'picture.webp', 'image/webp'],
  ] as const)(
    'accepts a %s image, stores it as a 256×256 WebP with a random name and serves it',
    async (format, filename, type) => {
      const user = await createUser(t);
      const c = await signIn(t.http, user.email);
      const response = await upload(c, await image(format, 640, 480), filename, type);
      expect(response.status).toBe(200);
      expect(JSON.parse(response.headers['x-up-events'])).toEqual([{ type: 'profile:changed' }]);
      expect(response.text).toContain('Your new avatar is saved.');

      const stored = await avatarOf(user);
      expect(stored).toMatch(/^[0-9a-f]{32}\.webp$/);
      expect(await filesIn(t.config.uploadDir)).toContain(stored);
      expect(response.text).toContain(`/avatars/${stored}`);

      const served = await c.agent
        .get(`/avatars/${stored}`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(served.status).toBe(200);
      expect(served.headers['content-type']).toBe('image/webp');
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      expect(served.headers['cache-control']).toMatch(/max-age=31536000/);
      const meta = await sharp(served.body as Buffer).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 256, 256]);
    },
  );

  it('removes the old file when a new avatar replaces it', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    expect((await upload(c, await image('png'), 'a.png', 'image/png')).status).toBe(200);
    const first = await avatarOf(user);
    expect((await upload(c, await image('jpeg', 300, 900), 'b.jpg', 'image/jpeg')).status).toBe(200);
    const second = await avatarOf(user);
    expect(second).not.toBe(first);
    const files = await filesIn(t.config.uploadDir);
    expect(files).toContain(second);
    expect(files).not.toContain(first);
    expect((await c.agent.get(`/avatars/${first}`)).status).toBe(404);
  });

  it.each([
    ['an SVG', SVG, 'logo.svg', 'image/svg+xml'],
    [
      'a text file renamed to .png',
      Buffer.from('just some notes, not a picture\n'.repeat(20)),
      'notes.png',
      'image/png',
    ],
    ['an HTML page declared as JPEG', Buffer.from('<html><script>alert(1)</script></html>'), 'x.jpg', 'image/jpeg'],
  ])('refuses %s with a message in the modal and writes nothing', async (_label, content, filename, type) => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    const before = await filesIn(t.config.uploadDir);
    const response = await upload(c, content, filename, type);
    expect(response.status).toBe(422);
    expect(response.text).toContain(AVATAR_TYPE_MESSAGE);
    expect(response.text).toContain('id="avatar-form"');
    expect(response.headers['x-up-events']).toBeUndefined();
    expect(await filesIn(t.config.uploadDir)).toEqual(before);
    expect(await avatarOf(user)).toBeNull();
  });

  it('refuses a GIF, a real image of a format it does not take', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    const before = await filesIn(t.config.uploadDir);
    const response = await upload(c, await image('gif'), 'anim.gif', 'image/gif');
    expect(response.status).toBe(422);
    expect(response.text).toContain(AVATAR_TYPE_MESSAGE);
    expect(await filesIn(t.config.uploadDir)).toEqual(before);
  });

  it('refuses a 10 MB image with a message and writes nothing', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    const big = await noisyPng(1950, 1850);
    expect(big.length).toBeGreaterThan(10 * 1024 * 1024);
    const before = await filesIn(t.config.uploadDir);
    const response = await upload(c, big, 'huge.png', 'image/png');
    expect(response.status).toBe(422);
    expect(response.text).toContain(AVATAR_SIZE_MESSAGE);
    expect(await filesIn(t.config.uploadDir)).toEqual(before);
    expect(await avatarOf(user)).toBeNull();
  });

  it('refuses a 6320 × 6320 16-bit PNG, small as a file but 240 MB decoded, with a message and writes nothing', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    const png = await flatPng(6320, 6320, { bitDepth: 16 });
    expect(png.length).toBeLessThan(2 * 1024 * 1024);
    const before = await filesIn(t.config.uploadDir);
    const response = await upload(c, png, 'huge.png', 'image/png');
    expect(response.status).toBe(422);
    expect(response.text).toContain(`data-error-for="avatar">${AVATAR_DIMENSIONS_MESSAGE}<`);
    expect(await filesIn(t.config.uploadDir)).toEqual(before);
    expect(await avatarOf(user)).toBeNull();
  }, 60_000);

  it('refuses an image just over 2 MB and accepts a valid one just under', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    const over = await noisyPng(1000, 720); // ~2.16 MB
    expect(over.length).toBeGreaterThan(2 * 1024 * 1024);
    expect((await upload(c, over, 'over.png', 'image/png')).status).toBe(422);
    const under = await noisyPng(900, 700); // ~1.9 MB
    expect(under.length).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect((await upload(c, under, 'under.png', 'image/png')).status).toBe(200);
  });

  it('asks for a file when none was chosen', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    const response = await c.agent
      .post('/profile/avatar')
      .set(UNPOLY_MODAL)
      .set('X-CSRF-Token', c.csrf)
      .field('x', '1');
    expect(response.status).toBe(422);
    expect(response.text).toContain('Choose an image file first.');
  });

  it('works without JavaScript: the token travels in a form field before the file, and a missing token is refused', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    const page = await c.page('/profile');
    const form = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"[^>]*>([\s\S]*?)<\/form>/.exec(
      page.text,
    );
    expect(form?.[1]).toBe('/profile/avatar');
    const fields = [...form![2].matchAll(/<input [^>]*name="([^"]+)"/g)].map((match) => match[1]);
    expect(fields).toEqual(['_csrf', 'avatar']);
    expect(form![2]).toContain(`value="${c.csrf}"`);

    const withoutToken = await c.agent.post('/profile/avatar').attach('avatar', await image('png'), 'a.png');
    expect(withoutToken.status).toBe(403);
    const wrongToken = await c.agent
      .post('/profile/avatar')
      .field('_csrf', 'nope')
      .attach('avatar', await image('png'), 'a.png');
    expect(wrongToken.status).toBe(403);
    expect(await avatarOf(user)).toBeNull();

    const response = await c.agent
      .post('/profile/avatar')
      .field('_csrf', c.csrf)
      .attach('avatar', await image('png'), 'a.png');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/profile');
    expect(await avatarOf(user)).toMatch(/\.webp$/);
    const after = await c.page('/profile');
    expect(after.text).toContain('Your new avatar is saved.');
  });

  it('never takes the token from the query string, multipart or not', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    const multipart = await c.agent
      .post(`/profile/avatar?_csrf=${c.csrf}`)
      .attach('avatar', await image('png'), 'a.png');
    expect(multipart.status).toBe(403);
    expect(await avatarOf(user)).toBeNull();
    const form = await c.agent.post(`/logout?_csrf=${c.csrf}`).type('form').send({});
    expect(form.status).toBe(403);
    expect((await c.agent.get('/')).status).toBe(200);
  });

  it('tells a too-large file apart from a missing token when the form sends the token first', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    const response = await c.agent
      .post('/profile/avatar')
      .field('_csrf', c.csrf)
      .attach('avatar', await noisyPng(1000, 720), 'over.png');
    expect(response.status).toBe(422);
    expect(response.text).toContain(AVATAR_SIZE_MESSAGE);
  });

  it('removes the avatar on request, file included', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    await upload(c, await image('png'), 'a.png', 'image/png');
    const stored = await avatarOf(user);
    const response = await c.agent
      .post('/profile/avatar')
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ _method: 'delete', _csrf: c.csrf });
    expect(response.status).toBe(200);
    expect(await avatarOf(user)).toBeNull();
    expect(await filesIn(t.config.uploadDir)).not.toContain(stored);
  });

  it('serves avatars only to signed-in people and only names it handed out', async () => {
    const user = await createUser(t);
    const c = await signIn(t.http, user.email);
    await upload(c, await image('png'), 'a.png', 'image/png');
    const stored = (await avatarOf(user))!;
    const anonymous = await request(t.http).get(`/avatars/${stored}`);
    expect(anonymous.status).toBe(303);
    for (const name of ['..%2F..%2Fpackage.json', 'x.svg', `${stored.slice(0, -5)}.png`, '0'.repeat(32) + '.webp']) {
      expect((await c.agent.get(`/avatars/${name}`)).status).toBe(404);
    }
  });

  it('shows initials on a colour when there is no avatar, and the picture once there is one', async () => {
    const user = await createUser(t, { name: 'Ada Lovelace' });
    const c = await signIn(t.http, user.email);
    const before = await c.page('/');
    expect(before.text).toMatch(
      /<span class="avatar avatar-sm avatar-initials" data-color="#[0-9a-f]{6}"[^>]*>AL<\/span>/,
    );
    await upload(c, await image('png'), 'a.png', 'image/png');
    const after = await c.page('/');
    expect(after.text).toContain(`src="/avatars/${await avatarOf(user)}"`);
    expect(csrfFrom(after.text)).toBeTruthy();
  });
});
