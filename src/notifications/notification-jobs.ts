import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Transaction } from 'sequelize';
import { AppConfig } from '../config/app-config';
import { JobHandlers } from '../jobs/job-handlers';
import { JobQueue } from '../jobs/job-queue';
import { NotificationMailData, NotificationMailJob } from './notification-mail.job';

export const NOTIFICATION_MAIL_JOB = 'notification';

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
        });
    });
  }
}
