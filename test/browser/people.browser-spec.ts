import { User } from '../../src/accounts/user.model';
import { createUser } from '../helpers/factories';
import { image } from '../helpers/images';
import {
  BrowserTestbed,
  markPage,
  MODAL,
  openPage,
  pageWasNotReloaded,
  signInAs,
  startBrowserTestbed,
} from './browser';

describe('people (browser)', () => {
  let testbed: BrowserTestbed;

  beforeAll(async () => {
    testbed = await startBrowserTestbed();
  });
  afterAll(() => testbed.close());

  it('changes the avatar and the name in the profile modal; the navbar follows without a reload', async () => {
    const user = await createUser(testbed.app, { name: 'Robin Before' });
    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, user.email);
    await markPage(page);
    expect(await page.textContent('[data-testid=navbar-name]')).toBe('Robin Before');
    expect(await page.locator('#navbar-user .avatar-initials').textContent()).toBe('RB');

    await page.click('#navbar-user');
    await page.waitForSelector(`${MODAL} #profile-form`);

    // A file that is not an image: the message shows in the same modal.
    await page.setInputFiles(`${MODAL} #avatar`, {
      name: 'notes.png',
      mimeType: 'image/png',
      buffer: Buffer.from('not a picture'),
    });
    await page.click(`${MODAL} #avatar-form button[type=submit]`);
    await page.waitForSelector(`${MODAL} [data-error-for=avatar]`);
    expect(await page.textContent(`${MODAL} [data-error-for=avatar]`)).toContain('JPEG, PNG or WebP');

    await page.setInputFiles(`${MODAL} #avatar`, {
      name: 'me.jpg',
      mimeType: 'image/jpeg',
      buffer: await image('jpeg', 500, 400),
    });
    const [uploadRequest] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/profile/avatar'),
      page.click(`${MODAL} #avatar-form button[type=submit]`),
    ]);
    await page.waitForSelector(`${MODAL} #profile-notice`);
    // Unpoly sends the token in its header; the URL carries none.
    expect(new URL(uploadRequest.url()).search).toBe('');
    expect(await uploadRequest.headerValue('x-csrf-token')).toBeTruthy();
    const stored = (await User.findByPk(user.id))!.avatar;
    expect(stored).toMatch(/\.webp$/);
    await page.waitForSelector(`#navbar-user img.avatar[src="/avatars/${stored}"]`);
    expect(await page.locator(`${MODAL} #profile-avatar img`).getAttribute('src')).toBe(`/avatars/${stored}`);
    // The picture really loads (served to the signed-in browser as an image).
    expect(
      await page
        .locator('#navbar-user img.avatar')
        .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
    ).toBe(256);

    // A wrong current password keeps the modal open with the message beside the field.
    await page.fill(`${MODAL} #name`, 'Robin After');
    await page.fill(`${MODAL} #currentPassword`, 'not my password at all');
    await page.fill(`${MODAL} #newPassword`, 'another good passphrase');
    await page.fill(`${MODAL} #confirmPassword`, 'another good passphrase');
    await page.click(`${MODAL} #profile-form button[type=submit]`);
    await page.waitForSelector(`${MODAL} [data-error-for=currentPassword]`);
    expect(await page.textContent('[data-testid=navbar-name]')).toBe('Robin Before');

    await page.fill(`${MODAL} #name`, 'Robin After');
    await page.click(`${MODAL} #profile-form button[type=submit]`);
    await page.waitForSelector(MODAL, { state: 'detached' });
    await page.waitForFunction(
      () => document.querySelector('[data-testid=navbar-name]')?.textContent === 'Robin After',
    );
    expect(await page.getAttribute('#navbar-user img.avatar', 'src')).toBe(`/avatars/${stored}`);
    expect(await pageWasNotReloaded(page)).toBe(true);
    // The two refused submits answered 422 on purpose; nothing else failed.
    expect(errors.filter((e) => e.startsWith('422 '))).toEqual(['422 POST /profile/avatar', '422 POST /profile']);
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
    await context.close();
  });

  it('keeps an unsaved name while an avatar is uploaded, and never shows a stale notice beside a new error', async () => {
    const user = await createUser(testbed.app, { name: 'Kim Kept' });
    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, user.email);
    await page.click('#navbar-user');
    await page.waitForSelector(`${MODAL} #profile-form`);

    await page.fill(`${MODAL} #name`, 'Kim Typed Not Saved');
    await page.setInputFiles(`${MODAL} #avatar`, {
      name: 'me.png',
      mimeType: 'image/png',
      buffer: await image('png', 300, 300),
    });
    await page.click(`${MODAL} #avatar-form button[type=submit]`);
    await page.waitForSelector(`${MODAL} #profile-notice:has-text("Your new avatar is saved.")`);
    expect(await page.inputValue(`${MODAL} #name`)).toBe('Kim Typed Not Saved');

    // A refused upload next: its error, and no leftover "saved" beside it.
    await page.setInputFiles(`${MODAL} #avatar`, {
      name: 'notes.png',
      mimeType: 'image/png',
      buffer: Buffer.from('not a picture'),
    });
    await page.click(`${MODAL} #avatar-form button[type=submit]`);
    await page.waitForSelector(`${MODAL} [data-error-for=avatar]`);
    expect(await page.locator(`${MODAL} #profile-notice`).count()).toBe(0);
    expect(await page.inputValue(`${MODAL} #name`)).toBe('Kim Typed Not Saved');
    expect((await User.findByPk(user.id))!.name).toBe('Kim Kept');
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
    await context.close();
  });

  it('uploads an avatar without JavaScript: the token goes in the form body, never in the URL', async () => {
    const user = await createUser(testbed.app, { name: 'Noa Script' });
    const context = await testbed.browser.newContext({ baseURL: testbed.baseUrl, javaScriptEnabled: false });
    const page = await context.newPage();
    await signInAs(page, user.email);
    await page.goto('/profile');
    await page.setInputFiles('#avatar', {
      name: 'me.png',
      mimeType: 'image/png',
      buffer: await image('png', 300, 300),
    });
    const [upload] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/profile/avatar'),
      page.click('#avatar-form button[type=submit]'),
    ]);
    expect(upload.status()).toBe(303);
    expect(new URL(upload.url()).search).toBe('');
    // Without JavaScript there is no header, and the URL has no token: it came in the body.
    const stored = (await User.findByPk(user.id))!.avatar;
    expect(stored).toMatch(/\.webp$/);
    await page.waitForSelector(`#profile-avatar img[src="/avatars/${stored}"]`);
    expect(new URL(page.url()).pathname).toBe('/profile');
    await context.close();
  });

  it('lets a manager deactivate someone from the People list in a modal', async () => {
    const manager = await createUser(testbed.app, { role: 'MANAGER' });
    const member = await createUser(testbed.app, { name: 'Sam Leaving' });
    const { page, errors, context } = await openPage(testbed);
    await signInAs(page, manager.email);
    await page.goto('/users');
    await markPage(page);
    const row = `tr[data-user-id="${member.id}"]`;
    expect(await page.textContent(`${row} [data-field=state]`)).toContain('Active');
    await page.click(`${row} [data-action=deactivate]`);
    await page.waitForSelector(`${MODAL} #user-deactivate`);
    await page.click(`${MODAL} button[type=submit]`);
    await page.waitForSelector(MODAL, { state: 'detached' });
    await page.waitForSelector(`${row} [data-action=reactivate]`);
    expect(await page.textContent(`${row} [data-field=state]`)).toContain('Deactivated');
    expect(await pageWasNotReloaded(page)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
