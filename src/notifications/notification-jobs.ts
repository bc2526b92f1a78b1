import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Transaction } from 'sequelize';
import { AppConfig } from '../config/app-config';
import { JobHandlers } from '../jobs/job-handlers';
import { JobQueue } from '../jobs/job-queue';
import { MAIL_PRIORITY } from '../jobs/queues';
import { NotificationMailData, NotificationMailJob } from './notification-mail.job';

export const NOTIFICATION_MAIL_JOB = 'notification';
export const NOTIFICATION_SWEEP_JOB = 'notifications-mail-sweep';
const SWEEP_BATCH = 200;

/** Wires notification mail to the mail queue. */
@Injectable()
export class NotificationJobs implements OnModuleInit {
  constructor(
    private readonly handlers: JobHandlers,
    private readonly jobs: JobQueue,
    private readonly mailJob: NotificationMailJob,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.handlers.register('mail', NOTIFICATION_MAIL_JOB, async (data: NotificationMailData) => {
      await this.mailJob.deliver(data);
    });
    this.handlers.register('maintenance', NOTIFICATION_SWEEP_JOB, async () => {
      await this.sweepPendingMail();
    });
  }

  /** Called by web processes at boot; Bull keys a repeatable job by name and cron, so there is one schedule. */
  scheduleMaintenance(): Promise<void> {
    // NOTIFY_SWEEP_MS, five minutes by default, like the password reset sweep: someone is waiting for this mail.
    return this.jobs.addRepeatable('maintenance', NOTIFICATION_SWEEP_JOB, { everyMs: this.config.notifySweepMs });
  }

  /**
   * Queues again the mail of people and tickets still pending long after their window (the
   * queue was away when the change committed, a worker died mid-send). The delivery's claim
   * keeps a mail from going out twice. Returns how many were queued.
   */
  async sweepPendingMail(): Promise<number> {
    const now = new Date();
    let queued = 0;
    for (const data of await this.mailJob.stuck(now, SWEEP_BATCH))
      if (
        await this.jobs.offer(
          'mail',
          NOTIFICATION_MAIL_JOB,
          data,
          `notification-sweep:${data.recipientId}:${data.ticketId}:${now.getTime()}`,
          { priority: MAIL_PRIORITY.notification },
        )
      )
        queued++;
    return queued;
  }

  /**
   * Once `transaction` commits, queues the mail of each new notification, delayed by the window
   * (NOTIFY_WINDOW_MS) so that what follows within it goes out in the same mail. Its id is the
   * notification's: Bull ignores a second offer of the same job.
   */
  mailAfterCommit(notifications: { id: string; recipientId: string; ticketId: string }[], transaction: Transaction) {
    if (!notifications.length) return;
    transaction.afterCommit(async () => {
      for (const { id, recipientId, ticketId } of notifications)
        await this.jobs.offer('mail', NOTIFICATION_MAIL_JOB, { recipientId, ticketId }, `notification:${id}`, {
          delayMs: this.config.notifyWindowMs,
          priority: MAIL_PRIORITY.notification,
        });
    });
  }
}
