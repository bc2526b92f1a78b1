import type { INestApplicationContext } from '@nestjs/common';
import { BullJobQueue } from '../../src/jobs/bull-job-queue';
import { NotificationJobs } from '../../src/notifications/notification-jobs';
import { Notification } from '../../src/notifications/notification.model';
import { eventually } from '../helpers/eventually';
import { createUser } from '../helpers/factories';
import { signIn, submitForm } from '../helpers/http';
import { startWorker } from '../helpers/mail-worker';
import { PrivateRedis, startPrivateRedis } from '../helpers/redis-server';
import { SmtpSink, startSmtpSink } from '../helpers/smtp-sink';
import { createPrivateDatabase, PrivateDatabase } from '../helpers/private-database';
import { startTestApp, TestApp } from '../helpers/test-app';
import { usesPostgres, usesRedis } from '../helpers/test-config';
import { createProject, createTickets } from './tickets-fixtures';

const describeFaults = usesRedis() && usesPostgres() ? describe : describe.skip;

describeFaults('fault: Redis stopped while a comment is posted', () => {
  jest.setTimeout(90_000);
  let redis: PrivateRedis;
  let smtp: SmtpSink;
  let t: TestApp;
  let worker: INestApplicationContext;
  let database: PrivateDatabase;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    smtp = await startSmtpSink();
    // The sweep queues the mail of every stuck notification in the database: in the shared one,
    // hundreds that other suites left pending (their windows never ended) would queue ahead of
    // Alice's, at each sweep.
    database = await createPrivateDatabase({ migrate: true });
    // No window, and the pending-mail sweep every second instead of every five minutes.
    t = await startTestApp({
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      SMTP_URL: smtp.url,
      NOTIFY_WINDOW_MS: '0',
      NOTIFY_SWEEP_MS: '1000',
    });
    await t.get(NotificationJobs).scheduleMaintenance(); // as main.ts does at boot
    worker = (await startWorker(t.config))!;
  }, 90_000);
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await redis?.close();
    await smtp?.close();
    await database?.drop();
  });

  it('saves the comment and its notification, and the mail goes out once when Redis is back', async () => {
    const alice = await createUser(t, { name: 'Alice Reporter' });
    const bob = await createUser(t, { name: 'Bob Commenter' });
    const project = await createProject([alice, bob]);
    const [ticket] = await createTickets(project, alice, 1);
    const url = `/projects/${project.id}/tickets/${ticket.id}`;
    const b = await signIn(t.http, bob.email);
    await b.page(url);

    await redis.stop();
    const response = await submitForm(b, 'post', `${url}/comments`, { body: 'Posted while Redis is down' });
    expect(response.status).toBe(200);
    const pending = await Notification.findOne({ where: { recipientId: alice.id, ticketId: ticket.id } });
    expect(pending).not.toBeNull();
    expect(pending!.mailDoneAt).toBeNull();

    await redis.start();
    // Nobody acts: the repeatable sweep in the worker finds the pending mail.
    const mail = await smtp.waitFor(alice.email, 1, 45_000);
    expect(mail.text).toContain('Posted while Redis is down');
    await eventually(
      async () => ((await Notification.findByPk(pending!.id))?.mailOutcome === 'sent' ? true : null),
      20_000,
      100,
    );

    // Exactly once: two more sweeps (run here rather than awaited from the schedule, so that the
    // count does not hang on the schedule's timing after Redis came back), then Alice's mail
    // jobs settle, then count.
    const sweeps = t.get(NotificationJobs);
    await sweeps.sweepPendingMail();
    await sweeps.sweepPendingMail();
    const queues = t.get(BullJobQueue);
    await eventually(
      async () => {
        const jobs = await queues.queue('mail').getJobs(['waiting', 'active', 'delayed']);
        return !jobs.some((job) => (job.data as { recipientId?: string }).recipientId === alice.id);
      },
      20_000,
      200,
    );
    expect(smtp.to(alice.email)).toHaveLength(1);
  });
});
