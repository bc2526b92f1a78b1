import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { parseExpression } from 'cron-parser';
import { JobHandlers } from './job-handlers';
import { JobQueue, RepeatSchedule } from './job-queue';
import type { EnqueueOptions, QueueName } from './queues';

/**
 * Development-only queue used when REDIS_URL is unset: runs each job in this process right
 * after the request, and repeatable jobs on an in-process timer. Nothing survives a restart.
 */
@Injectable()
export class InProcessJobQueue extends JobQueue implements OnApplicationShutdown {
  readonly durable = false;
  private readonly logger = new Logger('Jobs');
  private readonly timers = new Set<NodeJS.Timeout>();

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

  onApplicationShutdown(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(delayMs: number, task: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void task();
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
