import { Logger } from '@nestjs/common';
import type { EnqueueOptions, QueueName } from './queues';

/** When a repeatable job runs: a cron expression, or every so many milliseconds. */
export type RepeatSchedule = string | { everyMs: number };

const logger = new Logger('Jobs');

/** Where feature code hands off background work. Bull on Redis, or in-process in development. */
export abstract class JobQueue {
  abstract add(queue: QueueName, name: string, data: object, options?: EnqueueOptions): Promise<void>;

  /** Registers a job that repeats on a cron schedule, once across all processes. */
  abstract addRepeatable(queue: QueueName, name: string, schedule: RepeatSchedule): Promise<void>;

  /** True when jobs leave the process (Redis); false for the development in-process mode. */
  abstract readonly durable: boolean;

  /**
   * Enqueues work whose row is already committed with its pending state (the outbox pattern):
   * a refusal (Redis away) is logged and answered false, not thrown, because the owner's
   * periodic sweep finds the row still pending and enqueues it again.
   */
  async offer(
    queue: QueueName,
    name: string,
    data: object,
    jobId: string,
    options: { delayMs?: number; priority?: number } = {},
  ): Promise<boolean> {
    try {
      await this.add(queue, name, data, { jobId, attempts: 5, ...options });
      return true;
    } catch (error) {
      logger.warn(`could not queue ${queue} job ${jobId} (${(error as Error).message}); the sweep will retry`);
      return false;
    }
  }
}
