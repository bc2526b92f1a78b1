import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobHandlers } from '../jobs/job-handlers';
import { JobQueue } from '../jobs/job-queue';
import { PasswordResetMailJob } from './password-reset-mail.job';
import {
  PasswordResetsService,
  RESET_MAIL_JOB,
  RESET_REQUEST_JOB,
  ResetMailJob,
  ResetRequestJob,
} from './password-resets.service';

export const RESET_MAINTENANCE_JOB = 'password-resets-maintenance';
/** Often, unlike the invitations' hourly sweep: someone is waiting for this mail. */
const RESET_MAINTENANCE_CRON = '*/5 * * * *';

/** Wires password reset work to the queues: handlers at init, the repeatable sweep on demand. */
@Injectable()
export class PasswordResetJobs implements OnModuleInit {
  constructor(
    private readonly handlers: JobHandlers,
    private readonly jobs: JobQueue,
    private readonly mailJob: PasswordResetMailJob,
    private readonly resets: PasswordResetsService,
  ) {}

  onModuleInit(): void {
    this.handlers.register('mail', RESET_REQUEST_JOB, async (data: ResetRequestJob) => {
      await this.resets.createRequested(data.email);
    });
    this.handlers.register('mail', RESET_MAIL_JOB, async (data: ResetMailJob) => {
      await this.mailJob.deliver(data);
    });
    this.handlers.register('maintenance', RESET_MAINTENANCE_JOB, async () => {
      await this.resets.runMaintenance();
    });
  }

  /** Called by web processes at boot; Bull keys a repeatable job by name and cron, so there is one schedule. */
  scheduleMaintenance(): Promise<void> {
    return this.jobs.addRepeatable('maintenance', RESET_MAINTENANCE_JOB, RESET_MAINTENANCE_CRON);
  }
}
