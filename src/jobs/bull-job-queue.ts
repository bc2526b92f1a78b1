import { getQueueToken } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import { withTimeout } from '../common/redis/redis.module';
import { JobQueue, RepeatSchedule } from './job-queue';
import { EnqueueOptions, JobQueueUnavailableError, QueueName } from './queues';

const ENQUEUE_TIMEOUT_MS = 2000;

@Injectable()
export class BullJobQueue extends JobQueue {
  readonly durable = true;

  constructor(private readonly moduleRef: ModuleRef) {
    super();
  }

  queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  async add(queue: QueueName, name: string, data: object, options: EnqueueOptions = {}): Promise<void> {
    try {
      await withTimeout(
        this.queue(queue).add(name, data, {
          jobId: options.jobId,
          delay: options.delayMs,
          priority: options.priority,
          attempts: options.attempts ?? 5,
          backoff: { type: 'exponential', delay: 2000 },
          removeOnComplete: 1000,
          removeOnFail: 5000,
        }),
        ENQUEUE_TIMEOUT_MS,
        'Redis did not accept the job in time',
      );
    } catch (error) {
      throw new JobQueueUnavailableError(error instanceof Error ? error.message : String(error));
    }
  }

  async addRepeatable(queue: QueueName, name: string, schedule: RepeatSchedule): Promise<void> {
    const target = this.queue(queue);
    const repeat = typeof schedule === 'string' ? { cron: schedule } : { every: schedule.everyMs };
    // Drop schedules of this job with another cron or interval (a changed configuration), keep the current one.
    for (const job of await target.getRepeatableJobs()) {
      const same = 'cron' in repeat ? job.cron === repeat.cron : Number(job.every) === repeat.every;
      if (job.name === name && !same) await target.removeRepeatableByKey(job.key);
    }
    await target.add(
      name,
      {},
      {
        repeat,
        jobId: `repeat-${name}` /* no colon: Bull splits repeat keys on ":" */,
        removeOnComplete: 100,
        removeOnFail: 100,
      },
    );
  }
}
