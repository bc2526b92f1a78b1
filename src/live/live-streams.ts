import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AccountsService } from '../accounts/accounts.service';
import type { User } from '../accounts/user.model';
import { withTimeout } from '../common/redis/redis.module';
import { APP_EVENTS } from '../common/unpoly/app-events';
import { AppConfig } from '../config/app-config';
import { MembershipsService } from '../projects/memberships.service';
import { LiveBus } from './live-bus';
import {
  compareEventIds,
  LiveControl,
  LiveEvent,
  LiveEventData,
  LiveMessage,
  parseEventId,
  personChannel,
  projectChannel,
} from './live-message';

/** A stream whose client does not read this much is dropped (it reconnects and catches up): fixed memory per stream. */
const MAX_UNSENT_BYTES = 64 * 1024;
/** Events that arrive while a stream replays its gap wait here, up to this many; beyond, it reloads. */
const MAX_HELD_EVENTS = 32;
/** Browsers wait this long before reconnecting a stream that ended. */
const RETRY_MS = 2_000;
/** How long a new stream waits for this process's subscription to the bus before it answers 503. */
const SUBSCRIBE_WAIT_MS = 3_000;

/** What the browser does when it may have missed events: reload every live fragment. */
export const RELOAD_ALL: LiveEventData = {
  emit: [APP_EVENTS.ticketsChanged, APP_EVENTS.projectsChanged, APP_EVENTS.notificationsChanged],
};

interface Stream {
  res: Response;
  userId: string;
  sid: string;
  projectId: string | null;
  channels: string[];
  /** The session's absolute end (SESSION_ABSOLUTE_HOURS after sign-in). */
  endsAt: number;
  /** Events held while the stream replays what it missed; null once it is live. */
  held: LiveEvent[] | null;
  overflowed: boolean;
  closed: boolean;
}

/**
 * The open Server-Sent Events streams of this process, by channel: an event costs one map lookup
 * and one write per stream of its channel, whatever the number of projects. Streams end when their
 * session does (checked every LIVE_SESSION_CHECK_MS for all streams in one statement; stream
 * traffic never extends it) and when their person loses access to the project (at once on the
 * domain events, through the bus to every process, and every LIVE_ACCESS_CHECK_MS).
 */
@Injectable()
export class LiveStreams implements OnModuleDestroy {
  private readonly logger = new Logger('LiveStreams');
  private readonly byChannel = new Map<string, Set<Stream>>();
  private readonly all = new Set<Stream>();
  private readonly timers: NodeJS.Timeout[] = [];
  private listening: Promise<void> | null = null;
  private checkingSessions = false;
  private checkingAccess = false;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly bus: LiveBus,
    private readonly accounts: AccountsService,
    private readonly memberships: MembershipsService,
  ) {}

  /**
   * At the first stream: a worker or the REPL, which serve none, never subscribe nor run the
   * checks. The subscriber connection retries by itself; a stream waits for it a few seconds.
   */
  private start(): Promise<void> {
    if (this.listening) return withTimeout(this.listening, SUBSCRIBE_WAIT_MS, 'the live bus is not subscribed');
    this.listening = this.bus.listen(
      (message) => this.receive(message),
      () => this.broadcastReload(),
    );
    const every = (ms: number, task: () => void) => {
      const timer = setInterval(task, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.config.liveHeartbeatMs, () => this.heartbeat());
    every(this.config.liveSessionCheckMs, () => void this.checkSessions());
    every(this.config.liveAccessCheckMs, () => void this.checkAccess());
    return withTimeout(this.listening, SUBSCRIBE_WAIT_MS, 'the live bus is not subscribed');
  }

  onModuleDestroy(): void {
    this.timers.forEach((timer) => clearInterval(timer));
    this.timers.length = 0;
    for (const stream of [...this.all]) this.close(stream);
  }

  get size(): number {
    return this.all.size;
  }

  /** How many streams of this person are open in this process. */
  openFor(userId: string): number {
    return this.byChannel.get(personChannel(userId))?.size ?? 0;
  }

  /** Starts the stream of `user` (and of `projectId`, whose access the guard checked) on this response. */
  async open(req: Request, res: Response, user: User, projectId: string | null): Promise<void> {
    // EventSource always asks for it; anything else (a plain request, no Accept at all) would hang.
    if (!(req.get('accept') ?? '').includes('text/event-stream')) {
      res.status(406).type('text/plain').send('This address streams live updates (text/event-stream).');
      return;
    }
    const channels = [personChannel(user.id), ...(projectId ? [projectChannel(projectId)] : [])];
    const startedAt = req.session.startedAt ?? Date.now();
    // Subscribed before the stream answers, so that nothing published after it opened is missed.
    try {
      await this.start();
    } catch (error) {
      this.logger.warn(`Live updates unavailable: ${String(error)}`);
      res.status(503).type('text/plain').send('Live updates are unavailable right now.');
      return;
    }
    const stream: Stream = {
      res,
      userId: user.id,
      sid: req.sessionID,
      projectId,
      channels,
      endsAt: startedAt + this.config.sessionAbsoluteHours * 3_600_000,
      held: [],
      overflowed: false,
      closed: false,
    };
    res.status(200);
    res.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    req.socket.setNoDelay(true);
    req.on('close', () => this.close(stream));
    this.add(stream);
    this.write(stream, `retry: ${RETRY_MS}\n\n`);

    // Registered before the replay, so that nothing published meanwhile is lost: it is held.
    const lastId = parseEventId(req.get('last-event-id') ?? req.query.lastEventId);
    if (lastId) await this.replay(stream, lastId);
    const held = stream.held ?? [];
    stream.held = null;
    if (stream.overflowed) this.send(stream, this.frame(null, RELOAD_ALL));
    else for (const event of held) this.send(stream, this.frame(event.id, event.data));
  }

  private async replay(stream: Stream, lastId: string): Promise<void> {
    let missed: Awaited<ReturnType<LiveBus['replay']>>;
    try {
      missed = await this.bus.replay(stream.channels, lastId);
    } catch (error) {
      this.logger.warn(`Live catch-up failed: ${String(error)}`);
      missed = 'gap';
    }
    if (missed === 'gap') {
      stream.overflowed = true;
      return;
    }
    for (const event of missed) this.send(stream, this.frame(event.id, event.data));
    const last = missed.at(-1)?.id ?? lastId;
    if (stream.held) stream.held = stream.held.filter((event) => compareEventIds(event.id, last) > 0);
  }

  private receive(message: LiveMessage): void {
    if (message.kind === 'access') {
      void this.recheck(message);
      return;
    }
    const streams = this.byChannel.get(message.channel);
    if (!streams) return;
    let frame: string | null = null;
    for (const stream of streams) {
      if (stream.held) {
        if (stream.held.length < MAX_HELD_EVENTS) stream.held.push(message);
        else stream.overflowed = true;
        continue;
      }
      frame ??= this.frame(message.id, message.data);
      this.send(stream, frame);
    }
  }

  /** Every stream of this process may have missed events (the bus reconnected): their pages reload what is live. */
  private broadcastReload(): void {
    const frame = this.frame(null, RELOAD_ALL);
    for (const stream of this.all) if (!stream.held) this.send(stream, frame);
  }

  private frame(id: string | null, data: LiveEventData): string {
    return `${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
  }

  private send(stream: Stream, frame: string): void {
    this.write(stream, frame);
  }

  private write(stream: Stream, text: string): void {
    if (stream.closed) return;
    stream.res.write(text);
    if (stream.res.writableLength > MAX_UNSENT_BYTES) this.close(stream);
  }

  private heartbeat(): void {
    for (const stream of this.all) this.write(stream, ':\n\n');
  }

  private add(stream: Stream): void {
    this.all.add(stream);
    for (const channel of stream.channels) {
      let streams = this.byChannel.get(channel);
      if (!streams) this.byChannel.set(channel, (streams = new Set()));
      streams.add(stream);
    }
  }

  private close(stream: Stream): void {
    if (stream.closed) return;
    stream.closed = true;
    this.all.delete(stream);
    for (const channel of stream.channels) {
      const streams = this.byChannel.get(channel);
      streams?.delete(stream);
      if (streams?.size === 0) this.byChannel.delete(channel);
    }
    if (!stream.res.writableEnded) stream.res.end();
  }

  /** Ends the streams whose session ended: signed out, ended elsewhere, expired, idle, or past its absolute limit. */
  async checkSessions(): Promise<void> {
    if (this.checkingSessions || this.all.size === 0) return;
    this.checkingSessions = true;
    try {
      const streams = [...this.all];
      const alive = await this.accounts.unexpiredSessionIds([...new Set(streams.map((stream) => stream.sid))]);
      const now = Date.now();
      for (const stream of streams) if (!alive.has(stream.sid) || now > stream.endsAt) this.close(stream);
    } catch (error) {
      this.logger.warn(`Live session check failed: ${String(error)}`);
    } finally {
      this.checkingSessions = false;
    }
  }

  /** Ends the project streams of people who lost access to their project: one check per person. */
  async checkAccess(): Promise<void> {
    if (this.checkingAccess) return;
    this.checkingAccess = true;
    try {
      await this.recheckStreams([...this.all].filter((stream) => stream.projectId));
    } catch (error) {
      this.logger.warn(`Live access check failed: ${String(error)}`);
    } finally {
      this.checkingAccess = false;
    }
  }

  private async recheck(message: LiveControl): Promise<void> {
    try {
      const streams = [...this.all].filter(
        (stream) =>
          (message.userId === undefined || stream.userId === message.userId) &&
          (message.projectId === undefined ? true : stream.projectId === message.projectId),
      );
      if (message.projectGone) streams.forEach((stream) => stream.projectId && this.close(stream));
      else if (message.userId && message.projectId === undefined) {
        // A deactivation or a role change: the person's sessions may have ended too.
        await this.checkSessions();
        await this.recheckStreams(streams.filter((stream) => stream.projectId));
      } else await this.recheckStreams(streams.filter((stream) => stream.projectId));
    } catch (error) {
      this.logger.warn(`Live access check failed: ${String(error)}`);
    }
  }

  private async recheckStreams(streams: Stream[]): Promise<void> {
    const byUser = new Map<string, Stream[]>();
    for (const stream of streams) byUser.set(stream.userId, [...(byUser.get(stream.userId) ?? []), stream]);
    for (const [userId, own] of byUser) {
      const accessible = await this.memberships.projectsAccessibleTo(userId);
      if (accessible === 'all') continue;
      const allowed = new Set(accessible);
      for (const stream of own) if (!allowed.has(stream.projectId!)) this.close(stream);
    }
  }
}
