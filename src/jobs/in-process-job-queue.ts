import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { parseExpression } from 'cron-parser';
import { JobHandlers } from './job-handlers';
import { JobQueue, RepeatSchedule } from './job-queue';
import type { EnqueueOptions, QueueName } from './queues';

/** How long a shutdown waits for the jobs under way before the database closes beneath them. */
const SHUTDOWN_WAIT_MS = 10_000;

/**
 * Development-only queue used when REDIS_URL is unset: runs each job in this process right
 * after the request, and repeatable jobs on an in-process timer. Nothing survives a restart.
 */
@Injectable()
export class InProcessJobQueue extends JobQueue implements BeforeApplicationShutdown {
  readonly durable = false;
  private readonly logger = new Logger('Jobs');
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private closing = false;

  constructor(private readonly handlers: JobHandlers) {
    super();
  }

  add(queue: QueueName, name: string, data: object, options: EnqueueOptions = {}): Promise<void> {
    this.schedule(options.delayMs ?? 0, () => this.run(queue, name, data, options.attempts ?? 5));
    return Promise.resolve();
  }

  addRepeatable(queue: QueueName, name: string, schedule: RepeatSchedule): Promise<void> {
    const next = () => {
      const delay =
        typeof schedule === 'string'
          ? Math.max(0, parseExpression(schedule).next().getTime() - Date.now())
          : schedule.everyMs;
      this.schedule(delay, async () => {
        await this.run(queue, name, {}, 1);
        next();
      });
    };
    next();
    return Promise.resolve();
  }

  /**
   * Before the database closes (onApplicationShutdown): nothing more starts, and the jobs under
   * way finish. A job cut off mid-transaction would find its connection closed beneath it.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (!this.running.size) return;
    let waited: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (waited = setTimeout(resolve, SHUTDOWN_WAIT_MS)));
    await Promise.race([Promise.allSettled([...this.running]), deadline]);
    clearTimeout(waited);
  }

  private schedule(delayMs: number, task: () => Promise<void>): void {
    if (this.closing) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const run = task().finally(() => this.running.delete(run));
      this.running.add(run);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private async run(queue: QueueName, name: string, data: object, attemptsLeft: number): Promise<void> {
    try {
      await this.handlers.run(queue, name, data);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (attemptsLeft > 1) {
        this.logger.warn(`job ${queue}:${name} failed (${message}); retrying`);
        this.schedule(1000, () => this.run(queue, name, data, attemptsLeft - 1));
      } else {
        this.logger.error(`job ${queue}:${name} failed for good: ${message}`);
      }
    }
  }
}
