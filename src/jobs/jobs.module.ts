import { BullModule } from '@nestjs/bull';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { BullJobQueue } from './bull-job-queue';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobHandlers } from './job-handlers';
import { JobQueue } from './job-queue';
import { MailProcessor, MaintenanceProcessor } from './job.processors';
import { QUEUES } from './queues';

export interface JobsOptions {
  /** Consume jobs in this process (the worker). Web processes and the REPL only enqueue. */
  consume: boolean;
}

@Global()
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig, options: JobsOptions): DynamicModule {
    if (!config.redisUrl) {
      return {
        module: JobsModule,
        providers: [JobHandlers, { provide: JobQueue, useClass: InProcessJobQueue }],
        exports: [JobHandlers, JobQueue],
      };
    }
    return {
      module: JobsModule,
      imports: [
        BullModule.forRoot({
          url: config.redisUrl,
          prefix: config.queuePrefix,
          // A job whose worker died (lock not renewed) is found stalled and run again by another worker.
          settings: { lockDuration: config.jobLockMs, stalledInterval: config.jobLockMs },
        }),
        BullModule.registerQueue(...QUEUES.map((name) => ({ name }))),
      ],
      providers: [
        JobHandlers,
        BullJobQueue,
        { provide: JobQueue, useExisting: BullJobQueue },
        ...(options.consume ? [MailProcessor, MaintenanceProcessor] : []),
      ],
      exports: [JobHandlers, JobQueue, BullJobQueue, BullModule],
    };
  }
}
