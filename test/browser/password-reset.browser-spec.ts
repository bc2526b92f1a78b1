import type { INestApplicationContext } from '@nestjs/common';
import type { ParsedMail } from 'mailparser';
import { createUser } from '../helpers/factories';
import { startWorker } from '../helpers/mail-worker';
import { SmtpSink, startSmtpSink } from '../helpers/smtp-sink';
import { BrowserTestbed, openPage, signInAs, startBrowserTestbed } from './browser';

function resetPathFrom(mail: ParsedMail): string {
  const match = /https?:\/\/[^\s"<>]+(\/reset-password\/[A-Za-z0-9_-]+)/.exec(mail.text ?? '');
  if (!match) throw new Error('no reset link in the message');
  return match[1];
}

describe('forgot password (browser)', () => {
  let smtp: SmtpSink;
  let testbed: BrowserTestbed;
  let worker: INestApplicationContext | null;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    testbed = await startBrowserTestbed({ SMTP_URL: smtp.url });
    worker = await startWorker(testbed.app.config);
  });
  afterAll(async () => {
    await worker?.close();
    await testbed.close();
    await smtp.close();
  });

  it('asks for a link from the sign-in page, sets a new password from the mailed link, and is signed in (other sessions end)', async () => {
    const user = await createUser(testbed.app, { name: 'Fred Forgetful' });
    const elsewhere = await openPage(testbed);
    await signInAs(elsewhere.page, user.email);

    const { page, errors, context } = await openPage(testbed);
    await page.goto('/login');
    await Promise.all([page.waitForURL((url) => url.pathname === '/forgot-password'), page.click('#forgot-password')]);
    await page.fill('#forgot-email', user.email);
    await Promise.all([page.waitForSelector('#forgot-sent'), page.click('#forgot-form button[type=submit]')]);
    expect(await page.textContent('#forgot-sent')).toContain('If an active account uses that address');

    const path = resetPathFrom(await smtp.waitFor(user.email));
    await page.goto(path);
    await page.fill('#reset-password', 'a fresh password');
    await page.fill('#reset-confirm', 'a different one');
    await Promise.all([
      page.waitForSelector('[data-error-for=confirmPassword]'),
      page.click('#reset-form button[type=submit]'),
    ]);
    expect(await page.textContent('[data-error-for=confirmPassword]')).toContain('do not match');

    await page.fill('#reset-password', 'a fresh password');
    await page.fill('#reset-confirm', 'a fresh password');
    await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.click('#reset-form button[type=submit]')]);
    await page.waitForSelector('[data-testid=navbar-email]');
    expect(await page.textContent('[data-testid=navbar-email]')).toBe(user.email);
    expect(await page.textContent('body')).toContain('Your password has been changed');
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);

    await elsewhere.page.goto('/');
    expect(new URL(elsewhere.page.url()).pathname).toBe('/login');

    await page.goto(path);
    expect(await page.textContent('#reset-closed')).toContain('has been used already');
    expect(await page.locator('#reset-form').count()).toBe(0);
    await context.close();
    await elsewhere.context.close();
  }, 180_000);
});
