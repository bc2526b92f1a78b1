/** The Bull queues: outgoing mail, and periodic maintenance (cleanup, sweeps). */
export const QUEUES = ['mail', 'maintenance'] as const;
export type QueueName = (typeof QUEUES)[number];

export interface EnqueueOptions {
  /** Bull ignores a job whose id is already in the queue: use it to make enqueueing idempotent. */
  jobId?: string;
  attempts?: number;
  delayMs?: number;
  /** Bull's priority, 1 first (see MAIL_PRIORITY); in-process jobs run in order. */
  priority?: number;
}

/**
 * Mail someone is waiting for (an invitation, a password reset link) goes before notification
 * mail, so that a burst of ticket changes never holds up a person at a sign-in screen.
 */
export const MAIL_PRIORITY = { awaited: 1, notification: 5 } as const;

/** Raised when a job cannot be handed to Redis; callers decide whether that is fatal. */
export class JobQueueUnavailableError extends Error {}
