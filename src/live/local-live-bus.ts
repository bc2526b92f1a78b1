import { Injectable } from '@nestjs/common';
import { LiveBus, Replay } from './live-bus';
import type { LiveControl, LiveEvent, LiveEventData, LiveMessage } from './live-message';

/** The embedded default (no Redis, one process): delivery in the process, the log in a ring buffer. */
@Injectable()
export class LocalLiveBus extends LiveBus {
  private readonly log: LiveEvent[] = [];
  private lastMs = 0;
  private seq = 0;
  private receiver: (message: LiveMessage) => void = () => undefined;

  constructor(private readonly logSize: number) {
    super();
  }

  publish(channel: string, data: LiveEventData): Promise<void> {
    const event: LiveEvent = { kind: 'event', id: this.nextId(), channel, data };
    this.log.push(event);
    if (this.log.length > this.logSize) this.log.splice(0, this.log.length - this.logSize);
    this.receiver(event);
    return Promise.resolve();
  }

  control(message: LiveControl): Promise<void> {
    this.receiver(message);
    return Promise.resolve();
  }

  replay(channels: string[], lastId: string): Promise<Replay> {
    const at = this.log.findIndex((event) => event.id === lastId);
    if (at < 0) return Promise.resolve('gap');
    const wanted = new Set(channels);
    return Promise.resolve(this.log.slice(at + 1).filter((event) => wanted.has(event.channel)));
  }

  listen(receiver: (message: LiveMessage) => void): Promise<void> {
    this.receiver = receiver;
    return Promise.resolve();
  }

  private nextId(): string {
    const now = Date.now();
    if (now > this.lastMs) {
      this.lastMs = now;
      this.seq = 0;
    } else this.seq++;
    return `${this.lastMs}-${this.seq}`;
  }
}
