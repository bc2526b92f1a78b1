import { Injectable, Logger } from '@nestjs/common';
import type { QueueName } from './queues';

/** Runs one job; `Data` is what its producer enqueued (JSON through Redis, or as is in-process). */
export type JobHandler<Data = unknown> = (data: Data) => Promise<void>;

/**
 * Name → code for every job. Feature services register their handlers at module init; the
 * Bull processors (worker) and the in-process queue (development) both run jobs through here.
 */
@Injectable()
export class JobHandlers {
  private readonly logger = new Logger(JobHandlers.name);
  private readonly handlers = new Map<string, JobHandler>();

  register<Data>(queue: QueueName, name: string, handler: JobHandler<Data>): void {
    this.handlers.set(`${queue}:${name}`, handler as JobHandler);
  }

  async run(queue: QueueName, name: string, data: unknown): Promise<void> {
    const handler = this.handlers.get(`${queue}:${name}`);
    if (!handler) {
      this.logger.warn(`no handler for job ${queue}:${name}; dropped`);
      return;
    }
    await handler(data);
  }
}
