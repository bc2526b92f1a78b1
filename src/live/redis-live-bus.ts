import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { LiveBus, Replay } from './live-bus';
import type { LiveControl, LiveEvent, LiveEventData, LiveMessage } from './live-message';

/**
 * Appends the event to the capped log stream and publishes it with the id the stream gave it, in
 * one step, so that events reach every process in the order of their ids.
 */
const PUBLISH_SCRIPT = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'c', ARGV[2], 'd', ARGV[3])
redis.call('PUBLISH', ARGV[4], '{"kind":"event","id":"' .. id .. '","channel":' .. cjson.encode(ARGV[2]) .. ',"data":' .. ARGV[3] .. '}')
return id`;

interface LiveRedis extends Redis {
  livePublish(logKey: string, maxLen: number, channel: string, data: string, pubsub: string): Promise<string>;
}

/**
 * Fan-out between web processes through Redis: one pub/sub channel for the whole installation
 * (each process keeps its own map of channel -> streams, so the cost of a message does not grow
 * with the number of projects), one subscriber connection per process, and a capped Redis stream
 * (XADD MAXLEN ~) as the log for `Last-Event-ID` catch-up.
 */
export class RedisLiveBus extends LiveBus {
  private readonly logger = new Logger('LiveBus');
  private readonly redis: LiveRedis;
  private subscriber: Redis | null = null;
  private readonly logKey: string;
  private readonly pubsub: string;

  constructor(
    client: Redis,
    prefix: string,
    private readonly logSize: number,
  ) {
    super();
    if (!('livePublish' in client)) client.defineCommand('livePublish', { numberOfKeys: 1, lua: PUBLISH_SCRIPT });
    this.redis = client as LiveRedis;
    this.logKey = `${prefix}:live:log`;
    this.pubsub = `${prefix}:live`;
  }

  async publish(channel: string, data: LiveEventData): Promise<void> {
    await this.redis.livePublish(this.logKey, this.logSize, channel, JSON.stringify(data), this.pubsub);
  }

  async control(message: LiveControl): Promise<void> {
    await this.redis.publish(this.pubsub, JSON.stringify(message));
  }

  async replay(channels: string[], lastId: string): Promise<Replay> {
    const [found] = await this.redis.xrange(this.logKey, lastId, lastId);
    if (!found) return 'gap';
    const entries = await this.redis.xrange(this.logKey, `(${lastId}`, '+', 'COUNT', this.logSize * 2);
    const wanted = new Set(channels);
    const events: LiveEvent[] = [];
    for (const [id, fields] of entries) {
      const channel = fields[fields.indexOf('c') + 1];
      if (wanted.has(channel))
        events.push({ kind: 'event', id, channel, data: JSON.parse(fields[fields.indexOf('d') + 1]) as LiveEventData });
    }
    return events;
  }

  async listen(receiver: (message: LiveMessage) => void, lost: () => void): Promise<void> {
    const subscriber = (this.subscriber = this.redis.duplicate({ maxRetriesPerRequest: null }));
    subscriber.on('error', () => undefined);
    let connectedBefore = false;
    let down = false;
    subscriber.on('message', (_channel: string, text: string) => {
      try {
        receiver(JSON.parse(text) as LiveMessage);
      } catch (error) {
        this.logger.warn(`Dropped a malformed live message: ${String(error)}`);
      }
    });
    subscriber.on('close', () => {
      down = connectedBefore;
    });
    // ioredis subscribes again after a reconnect; what was published meanwhile is lost.
    subscriber.on('ready', () => {
      if (down) lost();
      connectedBefore = true;
      down = false;
    });
    await subscriber.subscribe(this.pubsub);
  }

  close(): void {
    if (this.subscriber && this.subscriber.status !== 'end') this.subscriber.disconnect();
  }
}
