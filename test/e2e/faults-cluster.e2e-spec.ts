import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { User } from '../../src/accounts/user.model';
import { Invitation } from '../../src/invitations/invitation.model';
import { BullJobQueue } from '../../src/jobs/bull-job-queue';
import { ChildApp, spawnEntry } from '../helpers/child-app';
import { createUser, TEST_PASSWORD, uniqueEmail } from '../helpers/factories';
import { csrfFrom, sessionCookie, UNPOLY_MODAL } from '../helpers/http';
import { SmtpSink, startSmtpSink } from '../helpers/smtp-sink';
import { eventually } from '../helpers/eventually';
import { freePort } from '../helpers/tcp-proxy';
import { startTestApp, TestApp } from '../helpers/test-app';
import { usesPostgres, usesRedis } from '../helpers/test-config';

const describeFaults = usesRedis() && usesPostgres() ? describe : describe.skip;

describeFaults('two web processes and one worker on the same PostgreSQL and Redis', () => {
  jest.setTimeout(120_000);
  const queuePrefix = `hticket-cluster-${randomBytes(4).toString('hex')}`;
  let smtp: SmtpSink;
  let t: TestApp; // in this process only to create data and look into the queues
  let manager: User;
  const webs: { child: ChildApp; url: string }[] = [];
  let worker: ChildApp;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startTestApp({ QUEUE_PREFIX: queuePrefix, SMTP_URL: smtp.url });
    manager = await createUser(t, { role: 'MANAGER' });
    const shared = {
      NODE_ENV: 'test',
      DATABASE_URL: t.config.databaseUrl,
      REDIS_URL: t.config.redisUrl!,
      QUEUE_PREFIX: queuePrefix,
      SESSION_SECRET: t.config.sessionSecret,
      SMTP_URL: smtp.url,
      INVITE_CLEANUP_CRON: '*/2 * * * * *',
      LOGIN_RATE_LIMIT_PER_IP: '1000',
    };
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      webs.push({ child: spawnEntry('main', { ...shared, PORT: String(port), BASE_URL: url }), url });
    }
    worker = spawnEntry('worker', shared);
    for (const web of webs) {
      await eventually(
        async () =>
          (
            await request(web.url)
              .get('/healthz')
              .catch(() => null)
          )?.status === 200,
        90_000,
        200,
      );
    }
    await worker.waitForOutput('worker is consuming jobs', 90_000);
  });
  afterAll(async () => {
    for (const process of [...webs.map((web) => web.child), worker]) await process?.stop('SIGTERM');
    await t?.close();
    await smtp?.close();
  });

  const [a, b] = [0, 1];
  /** A page on one web process with the given session cookie, and its CSRF token. */
  const page = async (web: number, path: string, cookie: string) => {
    const response = await request(webs[web].url).get(path).set('Cookie', cookie);
    return { response, csrf: response.status === 200 ? csrfFrom(response.text) : '' };
  };
  const signInOn = async (web: number) => {
    const login = await request(webs[web].url).get('/login');
    const csrf = csrfFrom(login.text);
    const response = await request(webs[web].url)
      .post('/login')
      .set('Cookie', sessionCookie(login)!)
      .type('form')
      .send({ email: manager.email, password: TEST_PASSWORD, _csrf: csrf });
    expect(response.status).toBe(303);
    return sessionCookie(response)!;
  };

  it('a session made on one web process works on the other, and signing out on either ends it on both', async () => {
    const cookie = await signInOn(a);
    const onB = await page(b, '/', cookie);
    expect(onB.response.status).toBe(200);
    expect(onB.response.text).toContain(manager.email);

    const out = await request(webs[b].url).post('/logout').set('Cookie', cookie).type('form').send({ _csrf: onB.csrf });
    expect(out.status).toBe(303);
    const onA = await request(webs[a].url).get('/').set('Cookie', cookie);
    expect(onA.status).toBe(303);
    expect(onA.headers.location).toMatch(/^\/login/);
  });

  it('a job enqueued by either web process is processed once, by the worker', async () => {
    const cookie = await signInOn(a);
    const emails = [uniqueEmail('via-a'), uniqueEmail('via-b')];
    for (const [web, email] of [
      [a, emails[0]],
      [b, emails[1]],
    ] as const) {
      const { csrf } = await page(web, '/invitations/new', cookie);
      const response = await request(webs[web].url)
        .post('/invitations')
        .set('Cookie', cookie)
        .set(UNPOLY_MODAL)
        .type('form')
        .send({ email, role: 'MEMBER', _csrf: csrf });
      expect(response.status).toBe(200);
      expect(response.headers['x-up-accept-layer']).toBeDefined();
    }
    for (const email of emails) await smtp.waitFor(email, 1, 30_000);
    const mail = t.get(BullJobQueue).queue('mail');
    await eventually(
      async () => {
        const counts = await mail.getJobCounts();
        return counts.waiting + counts.active + counts.delayed === 0 && counts.completed >= 2;
      },
      20_000,
      200,
    );
    for (const email of emails) {
      expect(smtp.to(email)).toHaveLength(1);
      expect((await Invitation.findOne({ where: { email } }))!.sentAt).not.toBeNull();
    }
  });

  it('the repeatable cleanup is scheduled once and runs once per interval, though both web processes registered it', async () => {
    const maintenance = t.get(BullJobQueue).queue('maintenance');
    // The password resets' sweep has a schedule of its own; this test is about the invitations' one.
    const repeatables = (await maintenance.getRepeatableJobs()).filter((job) => job.name === 'invitations-maintenance');
    expect(repeatables).toHaveLength(1);
    expect(repeatables[0].cron).toBe('*/2 * * * * *');

    await eventually(
      async () =>
        (await maintenance.getCompleted()).filter((job) => job.name === 'invitations-maintenance').length >= 3,
      30_000,
      200,
    );
    const runs = (await maintenance.getCompleted()).filter((job) => job.name === 'invitations-maintenance');
    // Bull names each run of a repeatable job "repeat:<schedule>:<scheduled millis>".
    const slots = runs.map((job) => Number(String(job.id).split(':').pop()));
    expect(slots.every((millis) => millis % 2000 === 0)).toBe(true);
    expect(new Set(slots).size).toBe(runs.length);
    expect(runs.every((job) => job.name === 'invitations-maintenance')).toBe(true);
  });
});
