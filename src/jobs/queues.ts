/** The Bull queues: outgoing mail, and periodic maintenance (cleanup, sweeps). */
export const QUEUES = ['mail', 'maintenance'] as const;
export type QueueName = (typeof QUEUES)[number];

export interface EnqueueOptions {
  /** Bull ignores a job whose id is already in the queue: use it to make enqueueing idempotent. */
  jobId?: string;
  attempts?: number;
  delayMs?: number;
}

/** Raised when a job cannot be handed to Redis; callers decide whether that is fatal. */
export class JobQueueUnavailableError extends Error {}
