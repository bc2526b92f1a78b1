import { createUser } from '../helpers/factories';
import { BrowserTestbed, openPage, signInAs, startBrowserTestbed } from './browser';

describe('signing in (browser)', () => {
  let testbed: BrowserTestbed;

  beforeAll(async () => {
    testbed = await startBrowserTestbed();
  });
  afterAll(() => testbed.close());

  it('redirects to the login page, signs a manager in and shows the dashboard', async () => {
    const manager = await createUser(testbed.app, { role: 'MANAGER', name: 'Mona Manager' });
    const { page, errors, context } = await openPage(testbed);

    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/login');

    await signInAs(page, manager.email);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.waitForSelector('[data-testid=navbar-email]');
    expect(await page.textContent('[data-testid=navbar-email]')).toBe(manager.email);
    expect(await page.evaluate(() => typeof (window as unknown as { up?: { version?: string } }).up?.version)).toBe(
      'string',
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keeps the person on the login page with one message after a wrong password', async () => {
    const member = await createUser(testbed.app);
    const { page, errors, context } = await openPage(testbed);
    await page.goto('/login');
    await page.fill('#email', member.email);
    await page.fill('#password', 'not the password');
    await page.click('button[type=submit]');
    await page.waitForSelector('#login-error');
    expect(await page.textContent('#login-error')).toBe('Email or password is incorrect.');
    // The failed POST itself answers 422; that is the only expected error.
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
    await context.close();
  });
});
