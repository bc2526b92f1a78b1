import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobHandlers } from '../jobs/job-handlers';
import { JobQueue } from '../jobs/job-queue';
import { InvitationMailJob } from './invitation-mail.job';
import { InvitationsService, MailJob } from './invitations.service';

export const MAINTENANCE_JOB = 'invitations-maintenance';

/** Wires invitation work to the queues: handlers at init, the repeatable maintenance job on demand. */
@Injectable()
export class InvitationJobs implements OnModuleInit {
  constructor(
    private readonly handlers: JobHandlers,
    private readonly jobs: JobQueue,
    private readonly mailJob: InvitationMailJob,
    private readonly invitations: InvitationsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.handlers.register('mail', 'invitation', async (data: MailJob) => {
      await this.mailJob.deliver(data);
    });
    this.handlers.register(
      'mail',
      'project-added',
      (data: { userId: string; projectId: string; senderId: string | null }) => this.mailJob.deliverProjectAdded(data),
    );
    this.handlers.register('maintenance', MAINTENANCE_JOB, async () => {
      await this.invitations.runMaintenance();
    });
  }

  /**
   * Cleanup + pending-mail sweep on INVITE_CLEANUP_CRON. Called by web processes at boot; Bull
   * keys a repeatable job by name and cron, so any number of processes register one schedule.
   */
  scheduleMaintenance(): Promise<void> {
    return this.jobs.addRepeatable('maintenance', MAINTENANCE_JOB, this.config.inviteCleanupCron);
  }
}
