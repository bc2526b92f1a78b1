import type { INestApplicationContext } from '@nestjs/common';
import { User } from '../../src/accounts/user.model';
import { Clock } from '../../src/invitations/clock';
import { InvitationJobs } from '../../src/invitations/invitation-jobs';
import { hashToken } from '../../src/invitations/invitation-token';
import { Invitation } from '../../src/invitations/invitation.model';
import { BullJobQueue } from '../../src/jobs/bull-job-queue';
import { createUser, uniqueEmail } from '../helpers/factories';
import { Client, signIn, UNPOLY_MODAL } from '../helpers/http';
import { startWorker } from '../helpers/mail-worker';
import { PrivateRedis, startPrivateRedis } from '../helpers/redis-server';
import { joinPathFrom, SmtpSink, startSmtpSink } from '../helpers/smtp-sink';
import { eventually } from '../helpers/eventually';
import { startTestApp, TestApp } from '../helpers/test-app';
import { usesPostgres, usesRedis } from '../helpers/test-config';

const describeFaults = usesRedis() && usesPostgres() ? describe : describe.skip;

describeFaults('fault: Redis stopped while a manager invites', () => {
  jest.setTimeout(90_000);
  let redis: PrivateRedis;
  let smtp: SmtpSink;
  let t: TestApp;
  let worker: INestApplicationContext;
  let m: Client;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    smtp = await startSmtpSink();
    // The maintenance job (cleanup + pending-mail sweep) every 2 seconds instead of hourly.
    t = await startTestApp({ REDIS_URL: redis.url, SMTP_URL: smtp.url, INVITE_CLEANUP_CRON: '*/2 * * * * *' });
    await t.get(InvitationJobs).scheduleMaintenance(); // as main.ts does at boot
    worker = (await startWorker(t.config))!;
    // The sweep re-queues mail still pending a minute after its token was issued: the worker's
    // clock runs two minutes ahead so that the test need not wait that minute.
    const clock = worker.get(Clock);
    jest.spyOn(clock, 'now').mockImplementation(() => new Date(Date.now() + 120_000));
    const manager = await createUser(t, { role: 'MANAGER' });
    m = await signIn(t.http, manager.email);
    await m.page('/invitations/new');
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await redis?.close();
    await smtp?.close();
  });

  it('saves the invitation and says the email is delayed, /readyz names Redis, and the mail goes out once when Redis is back', async () => {
    await redis.stop();

    const ready = await m.agent.get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.failing).toEqual(['redis']);
    expect(ready.body.checks.database).toBe('ok');

    const email = uniqueEmail('delayed');
    const response = await m.agent
      .post('/invitations')
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ email, role: 'MEMBER', _csrf: m.csrf });
    expect(response.status).toBe(200);
    expect(response.text).toContain('The email is delayed');
    expect(response.text).toContain(email);
    expect(JSON.parse(response.headers['x-up-events'])).toEqual([{ type: 'invitations:changed' }]);
    const saved = await Invitation.findOne({ where: { email } });
    expect(saved).not.toBeNull();
    expect(saved!.sentAt).toBeNull();

    // The list shows it as queued meanwhile.
    const list = await m.agent.get('/invitations');
    expect(list.status).toBe(200);
    expect(list.text).toContain(email);

    await redis.start();
    await eventually(async () => (await m.agent.get('/readyz')).status === 200, 20_000, 200);

    // Nobody acts: the repeatable maintenance job in the worker finds the pending mail.
    const mail = await smtp.waitFor(email, 1, 45_000);
    const sent = await eventually(
      async () => {
        const row = await Invitation.findOne({ where: { email } });
        return row?.sentAt ? row : null;
      },
      20_000,
      100,
    );
    // The link in the mail is the invitation's current token: the one that works.
    const token = joinPathFrom(mail).slice('/join/'.length);
    expect(hashToken(token)).toBe(sent.tokenHash);

    // Exactly once: let the queues settle and two more sweeps run, then count.
    const queues = t.get(BullJobQueue);
    const completedSweeps = async () => (await queues.queue('maintenance').getJobCounts()).completed;
    const before = await completedSweeps();
    await eventually(async () => (await completedSweeps()) >= before + 2, 20_000, 200);
    await eventually(
      async () => {
        const counts = await queues.queue('mail').getJobCounts();
        return counts.waiting + counts.active + counts.delayed === 0;
      },
      20_000,
      200,
    );
    expect(smtp.to(email)).toHaveLength(1);
    const user = await User.findOne({ where: { email } });
    expect(user).toBeNull();
  });
});
