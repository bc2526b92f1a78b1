import type { LiveControl, LiveEvent, LiveEventData, LiveMessage } from './live-message';

/** Replay after a reconnect: the events after the given id, or `gap` when they are no longer all in the log. */
export type Replay = LiveEvent[] | 'gap';

/**
 * Fan-out of live events between web processes, with a bounded log of recent events. Two
 * implementations: Redis (pub/sub + a capped stream) when REDIS_URL is set, and an in-process
 * emitter with a ring buffer on the embedded default (one process).
 */
export abstract class LiveBus {
  /** Logs the event and sends it to every process (this one included). */
  abstract publish(channel: string, data: LiveEventData): Promise<void>;
  /** Sends a control message to every process; not logged. */
  abstract control(message: LiveControl): Promise<void>;
  /** The logged events of `channels` after `lastId`. */
  abstract replay(channels: string[], lastId: string): Promise<Replay>;
  /**
   * The one receiver of this process (LiveStreams); resolves once messages flow. `lost` is called
   * when messages may have been missed.
   */
  abstract listen(receiver: (message: LiveMessage) => void, lost: () => void): Promise<void>;
}
