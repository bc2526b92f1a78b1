import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JobHandlers } from './job-handlers';

/** Bull consumers; only the worker process (and tests that act as one) include them. */
@Processor('mail')
export class MailProcessor {
  constructor(private readonly handlers: JobHandlers) {}

  @Process('*')
  handle(job: Job): Promise<void> {
    return this.handlers.run('mail', job.name, job.data);
  }
}

@Processor('maintenance')
export class MaintenanceProcessor {
  constructor(private readonly handlers: JobHandlers) {}

  @Process('*')
  handle(job: Job): Promise<void> {
    return this.handlers.run('maintenance', job.name, job.data);
  }
}
