import type { INestApplicationContext } from '@nestjs/common';
import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { PasswordReset } from '../../src/accounts/password-reset.model';
import { PasswordResetsService } from '../../src/accounts/password-resets.service';
import { User } from '../../src/accounts/user.model';
import { hashToken } from '../../src/common/security/secret-token';
import { JobQueue } from '../../src/jobs/job-queue';
import { JobQueueUnavailableError } from '../../src/jobs/queues';
import { eventually } from '../helpers/eventually';
import { createUser, TEST_PASSWORD, uniqueEmail } from '../helpers/factories';
import { client, signIn, UNPOLY_MODAL } from '../helpers/http';
import { startWorker } from '../helpers/mail-worker';
import { SmtpSink, startSmtpSink } from '../helpers/smtp-sink';
import { pairedTimings, timed, timingTolerance } from '../helpers/timing';
import { startTestApp, TestApp } from '../helpers/test-app';

const NEW_PASSWORD = 'a brand new password';

/** The path of the reset link in a message (`/reset-password/<token>`). */
function resetPathFrom(mail: ParsedMail): string {
  const match = /https?:\/\/[^\s"<>]+(\/reset-password\/[A-Za-z0-9_-]+)/.exec(mail.text ?? '');
  if (!match) throw new Error('no reset link in the message');
  return match[1];
}

/** The visible answer of a page, without what differs between any two requests (the CSRF token). */
const answerOf = (html: string) =>
  html.replace(/<meta name="csrf-token" content="[^"]*">/, '').replace(/value="[^"]*"/g, '');

describe('password reset through a real SMTP server', () => {
  let smtp: SmtpSink;
  let t: TestApp;
  let worker: INestApplicationContext | null;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startTestApp({ SMTP_URL: smtp.url, PASSWORD_RESET_TTL_MINUTES: '5' });
    worker = await startWorker(t.config);
  });
  afterAll(async () => {
    await worker?.close();
    await t.close();
    await smtp.close();
  });

  /** Asks for a link through the form, like a person on the sign-in page. */
  async function forgot(email: string): Promise<request.Response> {
    const c = client(t.http);
    const login = await c.page('/login');
    expect(login.text).toContain('href="/forgot-password"');
    await c.page('/forgot-password');
    return c.agent.post('/forgot-password').type('form').send({ email, _csrf: c.csrf });
  }

  async function setPassword(path: string, password = NEW_PASSWORD, confirmPassword = password) {
    const c = client(t.http);
    await c.page('/forgot-password'); // a CSRF token even when the link's page is not a form
    const page = await c.page(path);
    const response = await c.agent.post(path).type('form').send({ password, confirmPassword, _csrf: c.csrf });
    return { c, page, response };
  }

  const signsIn = async (email: string, password: string) => {
    const c = client(t.http);
    await c.page('/login');
    return (await c.agent.post('/login').type('form').send({ email, password, _csrf: c.csrf })).status === 303;
  };

  it('mails a link that sets the password once, signs the person in and ends their other sessions', async () => {
    const user = await createUser(t, { name: 'Rita Reset' });
    const elsewhere = await signIn(t.http, user.email);

    const asked = await forgot(user.email);
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('If an active account uses that address');
    const mail = await smtp.waitFor(user.email);
    expect(mail.subject).toBe('Reset your hticket password');
    expect(mail.text).toContain('Hello Rita Reset');
    expect(mail.text).toMatch(/until .+ UTC/);
    const path = resetPathFrom(mail);
    expect(mail.html).toContain(path);

    const row = (await PasswordReset.findOne({ where: { userId: user.id } }))!;
    const token = path.split('/reset-password/')[1];
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(row.tokenHash).toBe(hashToken(token)); // only the hash is stored
    expect(row.issuedBy).toBeNull();
    const ttl = row.expiresAt.getTime() - row.createdAt.getTime();
    expect(ttl).toBeGreaterThan(4.9 * 60_000);
    expect(ttl).toBeLessThanOrEqual(5 * 60_000);

    // Validated like the join form; the link still works after a refused submit.
    const mismatch = await setPassword(path, NEW_PASSWORD, 'something else entirely');
    expect(mismatch.page.status).toBe(200);
    expect(mismatch.page.headers['referrer-policy']).toBe('no-referrer');
    expect(mismatch.page.text).toContain(user.email);
    expect(mismatch.response.status).toBe(422);
    expect(mismatch.response.text).toContain('The two passwords do not match.');
    expect((await setPassword(path, 'short')).response.text).toContain('at least 10 characters');

    const { c, response } = await setPassword(path);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/');
    const dashboard = await c.agent.get('/');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain(user.email);
    expect(dashboard.text).toContain('Your password has been changed');

    const other = await elsewhere.agent.get('/');
    expect(other.status).toBe(303);
    expect(other.headers.location).toMatch(/^\/login/);
    expect(await signsIn(user.email, TEST_PASSWORD)).toBe(false);
    expect(await signsIn(user.email, NEW_PASSWORD)).toBe(true);

    // Single use: a clear page, not a form that cannot succeed.
    const again = await request(t.http).get(path);
    expect(again.status).toBe(410);
    expect(again.text).toContain('has been used already');
    expect(again.text).not.toContain('id="reset-form"');
    expect(again.text).toContain('href="/forgot-password"');
    const replay = await setPassword(path, 'yet another password');
    expect(replay.response.status).toBe(410);
    expect(await signsIn(user.email, NEW_PASSWORD)).toBe(true);
  }, 60_000);

  it('an expired link gets a clear page and changes nothing', async () => {
    const user = await createUser(t);
    await forgot(user.email);
    const path = resetPathFrom(await smtp.waitFor(user.email));
    await PasswordReset.update({ expiresAt: new Date(Date.now() - 1000) }, { where: { userId: user.id } });
    const page = await request(t.http).get(path);
    expect(page.status).toBe(410);
    expect(page.text).toContain('has expired');
    expect(page.text).not.toContain('id="reset-form"');
    expect((await setPassword(path)).response.status).toBe(410);
    expect(await signsIn(user.email, TEST_PASSWORD)).toBe(true);
  }, 60_000);

  it('answers an unknown email exactly like a known one, and sends nothing', async () => {
    const known = await createUser(t);
    const unknown = uniqueEmail('nobody');
    const [a, b] = [await forgot(unknown), await forgot(known.email)];
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(answerOf(a.text)).toBe(answerOf(b.text));
    await smtp.waitFor(known.email); // queued after the unknown one
    expect(smtp.to(unknown)).toEqual([]);
    expect(await PasswordReset.count({ where: { userId: known.id } })).toBe(1);
  });

  it('a deactivated account gets the same answer and nothing else; its earlier link never reactivates it', async () => {
    const user = await createUser(t);
    await forgot(user.email);
    const path = resetPathFrom(await smtp.waitFor(user.email));
    await user.update({ isActive: false });

    const control = await createUser(t);
    const [a, b] = [await forgot(user.email), await forgot(control.email)];
    expect(answerOf(a.text)).toBe(answerOf(b.text));
    await smtp.waitFor(control.email);
    expect(smtp.to(user.email)).toHaveLength(1);
    expect(await PasswordReset.count({ where: { userId: user.id } })).toBe(1);

    expect((await request(t.http).get(path)).status).toBe(410);
    expect((await setPassword(path)).response.status).toBe(410);
    await user.reload();
    expect(user.isActive).toBe(false);
    await user.update({ isActive: true });
    expect(await signsIn(user.email, TEST_PASSWORD)).toBe(true); // the password never changed
  }, 60_000);

  it('keeps one live link per person: a new one makes the previous one stop working', async () => {
    const user = await createUser(t);
    await forgot(user.email);
    const first = resetPathFrom(await smtp.waitFor(user.email));
    await forgot(user.email);
    const second = resetPathFrom(await smtp.waitFor(user.email, 2));
    const stale = await request(t.http).get(first);
    expect(stale.status).toBe(410);
    expect(stale.text).toContain('A newer password reset link');
    expect((await setPassword(second)).response.status).toBe(303);
  }, 60_000);

  it('a manager hands out a link (scoped, managers only); the person is told by mail who issued it, and using it ends their other sessions', async () => {
    const manager = await createUser(t, { role: 'MANAGER', name: 'Mona Manager' });
    const person = await createUser(t, { name: 'Pia Person' });
    const member = await signIn(t.http, (await createUser(t)).email);
    const elsewhere = await signIn(t.http, person.email);
    const m = await signIn(t.http, manager.email);

    const people = await m.page('/users');
    expect(people.text).toContain(`href="/users/${person.id}/reset-link"`);
    const confirm = await m.agent.get(`/users/${person.id}/reset-link`).set(UNPOLY_MODAL);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Create link');
    expect((await member.agent.get(`/users/${person.id}/reset-link`)).status).toBe(404);
    const refused = await member.agent.post(`/users/${person.id}/reset-link`).type('form').send({ _csrf: member.csrf });
    expect(refused.status).toBe(404);
    expect(await PasswordReset.count({ where: { userId: person.id } })).toBe(0);

    const created = await m.agent
      .post(`/users/${person.id}/reset-link`)
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ _csrf: m.csrf });
    expect(created.status).toBe(200);
    const link = /id="reset-link" value="([^"]+)"/.exec(created.text)![1];
    const path = new URL(link).pathname;

    const notice = await smtp.waitFor(person.email);
    expect(notice.subject).toBe('A password reset link was created for your hticket account');
    expect(notice.text).toContain('Mona Manager created a link');
    expect(notice.text).not.toContain(path.split('/reset-password/')[1]);
    const row = (await PasswordReset.findOne({ where: { userId: person.id } }))!;
    expect(row.issuedBy).toBe(manager.id);
    expect(row.handedOut).toBe(true);
    await eventually(async () => (await row.reload()).sentAt);

    const { response } = await setPassword(path);
    expect(response.status).toBe(303);
    expect((await elsewhere.agent.get('/')).status).toBe(303);
    expect(await signsIn(person.email, NEW_PASSWORD)).toBe(true);

    await person.update({ isActive: false });
    const inactive = await m.agent
      .post(`/users/${person.id}/reset-link`)
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ _csrf: m.csrf });
    expect(inactive.status).toBe(409);
    expect(inactive.text).toContain('Reactivate the account first');
  }, 60_000);

  it('the REPL recipe hands out a link the same way', async () => {
    const manager = await createUser(t, { role: 'MANAGER' });
    const person = await createUser(t);
    const link = await t.get(PasswordResetsService).issueLink(person.email, manager.email);
    expect((await request(t.http).get(new URL(link).pathname)).status).toBe(200);
    expect((await PasswordReset.findOne({ where: { userId: person.id } }))!.issuedBy).toBe(manager.id);
    await smtp.waitFor(person.email);
  });

  it('mails a link whose enqueue failed once the sweep runs, with a working token', async () => {
    const user = await createUser(t);
    const queue = t.get(JobQueue);
    const add = jest.spyOn(queue, 'add').mockRejectedValue(new JobQueueUnavailableError('Redis is away'));
    try {
      // The request job's work, in this process, while the queue refuses the mail.
      expect(await t.get(PasswordResetsService).createRequested(user.email)).toBe(true);
      expect(add).toHaveBeenCalledWith('mail', 'password-reset', expect.anything(), expect.anything());
      const row = (await PasswordReset.findOne({ where: { userId: user.id } }))!;
      expect(row.sentAt).toBeNull();
    } finally {
      add.mockRestore();
    }
    await PasswordReset.update({ tokenIssuedAt: new Date(Date.now() - 2 * 60_000) }, { where: { userId: user.id } });
    expect((await t.get(PasswordResetsService).runMaintenance()).requeued).toBeGreaterThanOrEqual(1);
    const path = resetPathFrom(await smtp.waitFor(user.email));
    expect((await setPassword(path)).response.status).toBe(303);
  }, 60_000);
});

describe('password reset rate limits, and join links', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      PASSWORD_RESET_RATE_LIMIT_PER_ACCOUNT: '2',
      PASSWORD_RESET_RATE_LIMIT_PER_IP: '6',
      JOIN_RATE_LIMIT_PER_IP: '3',
    });
  });
  afterAll(() => t.close());

  async function forgot(email: string): Promise<number> {
    const c = client(t.http);
    await c.page('/forgot-password');
    return (await c.agent.post('/forgot-password').type('form').send({ email, _csrf: c.csrf })).status;
  }

  it('limits requests per account and per IP address, and visits of reset links per IP address', async () => {
    const user = await createUser(t);
    expect([await forgot(user.email), await forgot(user.email)]).toEqual([200, 200]);
    expect(await forgot(user.email)).toBe(429); // per account (the one refused counts toward the IP too)
    expect([await forgot(uniqueEmail('a')), await forgot(uniqueEmail('b'))]).toEqual([200, 200]);
    const refused = await request(t.http).get('/reset-password/not-a-token');
    expect(refused.status).toBe(404); // the 6th of this IP
    const limited = await request(t.http).get('/reset-password/not-a-token');
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Too many password reset attempts');
    expect((await request(t.http).post('/reset-password/not-a-token')).status).toBe(429);
  });

  it('limits visits of join links per IP address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await request(t.http).get(`/join/unknown-token-${i}`)).status);
    expect(statuses).toEqual([404, 404, 404, 429]);
  });
});

describe('password reset enumeration timing', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers known and unknown emails alike, in about the same time', async () => {
    const known = await createUser(t);
    const c = client(t.http);
    await c.page('/forgot-password');
    const attempt = (which: 'known' | 'unknown') =>
      timed(() =>
        c.agent
          .post('/forgot-password')
          .type('form')
          .send({ email: which === 'known' ? known.email : uniqueEmail('nobody'), _csrf: c.csrf }),
      );
    const { pairs, medianGap, medianTime } = await pairedTimings(attempt);
    for (const [a, b] of pairs) {
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(answerOf(a.text)).toBe(answerOf(b.text));
    }
    expect(Math.abs(medianGap)).toBeLessThan(timingTolerance(medianTime));
    expect(await User.count({ where: { id: known.id } })).toBe(1);
  }, 120_000);
});
