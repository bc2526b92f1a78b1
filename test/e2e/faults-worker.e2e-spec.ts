import { hashToken } from '../../src/invitations/invitation-token';
import { Invitation } from '../../src/invitations/invitation.model';
import { BullJobQueue } from '../../src/jobs/bull-job-queue';
import { ChildApp, spawnEntry } from '../helpers/child-app';
import { createUser, uniqueEmail } from '../helpers/factories';
import { signIn, UNPOLY_MODAL } from '../helpers/http';
import { joinPathFrom, SmtpSink, startSmtpSink } from '../helpers/smtp-sink';
import { eventually } from '../helpers/eventually';
import { startTestApp, TestApp } from '../helpers/test-app';
import { usesPostgres, usesRedis } from '../helpers/test-config';

const describeFaults = usesRedis() && usesPostgres() ? describe : describe.skip;

describeFaults('fault: the worker is killed (SIGKILL) in the middle of sending', () => {
  jest.setTimeout(90_000);
  const email = uniqueEmail('killed-mid-send');
  let smtp: SmtpSink;
  let t: TestApp;
  const workers: ChildApp[] = [];

  /** `npm run worker` as its own process, on the test app's database, queues and secret. */
  const startWorkerProcess = () => {
    const worker = spawnEntry('worker', {
      NODE_ENV: 'test',
      DATABASE_URL: t.config.databaseUrl,
      REDIS_URL: t.config.redisUrl!,
      QUEUE_PREFIX: t.config.queuePrefix,
      SESSION_SECRET: t.config.sessionSecret,
      SMTP_URL: smtp.url,
      JOB_LOCK_MS: '2000',
    });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    let first = true;
    // The first message to this address hangs at the end of its data: the sender is mid-send.
    smtp = await startSmtpSink({ stall: (to) => to.includes(email) && first && !(first = false) });
    t = await startTestApp({ SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    for (const worker of workers) await worker.stop('SIGKILL');
    await t?.close();
    await smtp?.close();
  });

  it('delivers the mail once a new worker starts, and the invitation ends up sent', async () => {
    const manager = await createUser(t, { role: 'MANAGER' });
    const m = await signIn(t.http, manager.email);
    await m.page('/invitations/new');
    const invited = await m.agent
      .post('/invitations')
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ email, role: 'MEMBER', _csrf: m.csrf });
    expect(invited.status).toBe(200);
    expect(invited.headers['x-up-accept-layer']).toBeDefined();

    const doomed = startWorkerProcess();
    await eventually(async () => smtp.stalled === 1, 60_000, 50);
    await doomed.stop('SIGKILL');
    expect(doomed.process.signalCode).toBe('SIGKILL');
    const pending = await Invitation.findOne({ where: { email } });
    expect(pending!.sentAt).toBeNull();
    expect(smtp.to(email)).toHaveLength(0);

    startWorkerProcess();
    const mail = await smtp.waitFor(email, 1, 60_000);
    const sent = await eventually(
      async () => {
        const row = await Invitation.findOne({ where: { email } });
        return row?.sentAt ? row : null;
      },
      20_000,
      100,
    );
    expect(hashToken(joinPathFrom(mail).slice('/join/'.length))).toBe(sent.tokenHash);

    await eventually(
      async () => {
        const counts = await t.get(BullJobQueue).queue('mail').getJobCounts();
        return counts.waiting + counts.active + counts.delayed === 0 && counts.completed >= 1;
      },
      20_000,
      200,
    );
    expect(smtp.to(email)).toHaveLength(1);
    expect(smtp.stalled).toBe(1);
  });
});
