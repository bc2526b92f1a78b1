import type { EnqueueOptions, QueueName } from './queues';

/** Where feature code hands off background work. Bull on Redis, or in-process in development. */
export abstract class JobQueue {
  abstract add(queue: QueueName, name: string, data: object, options?: EnqueueOptions): Promise<void>;

  /** Registers a job that repeats on a cron schedule, once across all processes. */
  abstract addRepeatable(queue: QueueName, name: string, cron: string): Promise<void>;

  /** True when jobs leave the process (Redis); false for the development in-process mode. */
  abstract readonly durable: boolean;
}
