import { randomBytes } from 'node:crypto';
import { EventEmitter2 } from '@nestjs/event-emitter';
import request from 'supertest';
import type { User } from '../../src/accounts/user.model';
import { APP_EVENTS } from '../../src/common/unpoly/app-events';
import { LiveStreams } from '../../src/live/live-streams';
import { TicketChanged } from '../../src/tickets/ticket-events';
import { Ticket } from '../../src/tickets/ticket.model';
import { ChildApp, spawnEntry } from '../helpers/child-app';
import { eventually } from '../helpers/eventually';
import { createUser, TEST_PASSWORD } from '../helpers/factories';
import { csrfFrom, sessionCookie, UNPOLY_MODAL } from '../helpers/http';
import { createProject } from '../helpers/project-factories';
import { openStream, SseStream } from '../helpers/sse';
import { freePort } from '../helpers/tcp-proxy';
import { startTestApp, TestApp } from '../helpers/test-app';
import { usesPostgres, usesRedis } from '../helpers/test-config';

/** A signed-in browser on `baseUrl`: its session cookie and CSRF token. */
async function signInAt(baseUrl: string, user: User): Promise<{ cookie: string; csrf: string }> {
  const login = await request(baseUrl).get('/login');
  const response = await request(baseUrl)
    .post('/login')
    .set('Cookie', sessionCookie(login)!)
    .type('form')
    .send({ email: user.email, password: TEST_PASSWORD, _csrf: csrfFrom(login.text) });
  expect(response.status).toBe(303);
  const cookie = sessionCookie(response)!;
  const home = await request(baseUrl).get('/').set('Cookie', cookie);
  return { cookie, csrf: csrfFrom(home.text) };
}

function submit(
  baseUrl: string,
  who: { cookie: string; csrf: string },
  method: 'post' | 'patch' | 'delete',
  path: string,
  body: Record<string, string> = {},
) {
  return request(baseUrl)
    .post(path)
    .set(UNPOLY_MODAL)
    .set('Cookie', who.cookie)
    .type('form')
    .send({ _csrf: who.csrf, ...(method === 'post' ? {} : { _method: method }), ...body });
}

describe('live updates (Server-Sent Events)', () => {
  let t: TestApp;
  let baseUrl: string;
  const streams: SseStream[] = [];
  const open = async (path: string, cookie: string, lastEventId?: string) => {
    const stream = await openStream(baseUrl, path, cookie, lastEventId);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    t = await startTestApp({ LIVE_HEARTBEAT_MS: '100', LIVE_SESSION_CHECK_MS: '100', LIVE_ACCESS_CHECK_MS: '60000' });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.http.address() as { port: number }).port}`;
  });
  afterEach(() => streams.splice(0).forEach((stream) => stream.close()));
  afterAll(() => t?.close());

  it("opens a project's stream for its members only (404 otherwise), with the streaming headers, heartbeats, and no cookie", async () => {
    const [ana, outsider] = [await createUser(t), await createUser(t)];
    const project = await createProject({ members: [ana] });
    const anaSession = await signInAt(baseUrl, ana);
    const outsiderSession = await signInAt(baseUrl, outsider);

    const refused = await open(`/projects/${project.id}/live`, outsiderSession.cookie);
    expect(refused.status).toBe(404);
    expect(refused.headers['content-type']).not.toMatch(/event-stream/);

    const stream = await open(`/projects/${project.id}/live`, anaSession.cookie);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers['cache-control']).toBe('no-cache');
    expect(stream.headers['x-accel-buffering']).toBe('no');
    // Stream traffic is not activity: no rolling cookie.
    expect(stream.headers['set-cookie']).toBeUndefined();
    await eventually(async () => stream.comments >= 2, 10_000, 20);

    // Signed out: a bare 401 the browser's EventSource gives up on, not the sign-in page.
    const anonymous = await open('/live', '');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['x-hticket-session']).toBe('signed-out');
    expect(anonymous.headers['content-type']).toBeUndefined();
  });

  it("sends a ticket change to the project's streams, the inbox count to the person told, and replays after Last-Event-ID", async () => {
    const ana = await createUser(t, { name: 'Ana Author' });
    const ben = await createUser(t, { name: 'Ben Watcher' });
    const project = await createProject({ members: [ana, ben] });
    const [anaSession, benSession] = [await signInAt(baseUrl, ana), await signInAt(baseUrl, ben)];
    const board = await open(`/projects/${project.id}/live`, benSession.cookie);
    const benPerson = await open('/live', benSession.cookie);

    const created = await submit(baseUrl, anaSession, 'post', `/projects/${project.id}/tickets`, {
      title: 'Live one',
      assigneeId: ben.id,
    });
    expect(created.status).toBe(200);
    const ticket = await Ticket.findOne({ where: { projectId: project.id, title: 'Live one' }, rejectOnEmpty: true });
    const first = await board.waitFor((event) => event.data.ticketId === ticket.id);
    expect(first.data).toMatchObject({ emit: [APP_EVENTS.ticketsChanged], by: 'Ana Author' });
    expect(first.id).toMatch(/^\d+-\d+$/);
    // Ben was assigned: his bell and his dashboard, on his person stream (and on the board's).
    await benPerson.waitFor((event) => event.data.emit.includes(APP_EVENTS.notificationsChanged));
    await benPerson.waitFor((event) => event.data.emit.includes(APP_EVENTS.projectsChanged));
    expect(benPerson.events.some((event) => event.data.ticketId)).toBe(false);

    // Ben's board goes away; meanwhile Ana moves the ticket; Ben comes back with the last id he saw.
    board.close();
    const moved = await submit(baseUrl, anaSession, 'patch', `/projects/${project.id}/tickets/${ticket.id}`, {
      status: 'DONE',
      version: String(ticket.version),
      baseStatus: 'OPEN',
      source: 'board',
    });
    expect(moved.status).toBeLessThan(300);
    const back = await open(`/projects/${project.id}/live`, benSession.cookie, first.id!);
    const replayed = await back.waitFor((event) => event.data.ticketId === ticket.id);
    expect(replayed.id).not.toBe(first.id);

    // An id no longer in the log: the page is told to reload what is live.
    const lost = await open(`/projects/${project.id}/live`, benSession.cookie, '1-0');
    const reload = await lost.waitFor(() => true);
    expect(reload.data.emit).toEqual(
      expect.arrayContaining([APP_EVENTS.ticketsChanged, APP_EVENTS.projectsChanged, APP_EVENTS.notificationsChanged]),
    );
    expect(reload.id).toBeNull();
  });

  it('publishes after the commit only: a change that rolls back sends nothing', async () => {
    const ana = await createUser(t);
    const project = await createProject({ members: [ana] });
    const session = await signInAt(baseUrl, ana);
    const stream = await open(`/projects/${project.id}/live`, session.cookie);
    // A listener of the change's transaction fails, so the whole change rolls back.
    const failing = (event: TicketChanged) =>
      event.ticket.projectId === project.id ? Promise.reject(new Error('refused by a listener')) : Promise.resolve();
    const emitter = t.get(EventEmitter2);
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- emitAsync awaits the promise: its rejection is the point
    emitter.on(TicketChanged.event, failing);
    try {
      const refused = await submit(baseUrl, session, 'post', `/projects/${project.id}/tickets`, {
        title: 'Rolled back',
      });
      expect(refused.status).toBe(500);
    } finally {
      // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the same listener, removed
      emitter.off(TicketChanged.event, failing);
    }
    expect(await Ticket.count({ where: { projectId: project.id } })).toBe(0);
    const later = await submit(baseUrl, session, 'post', `/projects/${project.id}/tickets`, { title: 'Kept' });
    expect(later.status).toBe(200);
    await stream.waitFor((event) => Boolean(event.data.ticketId));
    expect(stream.events.filter((event) => event.data.ticketId)).toHaveLength(1);
  });

  it("ends a removed member's project stream and a signed-out session's streams within 5 seconds", async () => {
    const manager = await createUser(t, { role: 'MANAGER' });
    const [ana, ben] = [await createUser(t), await createUser(t)];
    const project = await createProject({ members: [ana, ben] });
    const managerSession = await signInAt(baseUrl, manager);
    const anaSession = await signInAt(baseUrl, ana);
    const benSession = await signInAt(baseUrl, ben);
    const anaBoard = await open(`/projects/${project.id}/live`, anaSession.cookie);
    const anaPerson = await open('/live', anaSession.cookie);
    const benBoard = await open(`/projects/${project.id}/live`, benSession.cookie);
    const benPerson = await open('/live', benSession.cookie);
    await eventually(async () => t.get(LiveStreams).size >= 4);

    const removed = await submit(baseUrl, managerSession, 'delete', `/projects/${project.id}/members/${ana.id}`);
    expect(removed.status).toBeLessThan(300);
    const startedRemoval = Date.now();
    await Promise.race([anaBoard.ended, timeout(5_000, 'the removed member’s stream stayed open')]);
    expect(Date.now() - startedRemoval).toBeLessThan(5_000);
    // Her person stream stays (she is still signed in) and is told that her projects changed.
    await anaPerson.waitFor((event) => event.data.emit.includes(APP_EVENTS.projectsChanged));
    expect(anaPerson.isEnded()).toBe(false);
    expect((await open(`/projects/${project.id}/live`, anaSession.cookie)).status).toBe(404);

    const logout = await request(baseUrl)
      .post('/logout')
      .set('Cookie', benSession.cookie)
      .type('form')
      .send({ _csrf: benSession.csrf });
    expect(logout.status).toBe(303);
    await Promise.race([
      Promise.all([benBoard.ended, benPerson.ended]),
      timeout(5_000, 'the signed-out session’s streams stayed open'),
    ]);
    expect(anaPerson.isEnded()).toBe(false);
  });

  const describeCluster = usesPostgres() && usesRedis() ? describe : describe.skip;
  describeCluster('across web processes (PostgreSQL + Redis)', () => {
    let other: ChildApp;
    let otherUrl: string;
    let shared: TestApp;

    beforeAll(async () => {
      const queuePrefix = `hticket-live-${randomBytes(4).toString('hex')}`;
      shared = await startTestApp({ QUEUE_PREFIX: queuePrefix });
      await shared.app.listen(0, '127.0.0.1');
      const port = await freePort();
      otherUrl = `http://127.0.0.1:${port}`;
      other = spawnEntry('main', {
        NODE_ENV: 'test',
        DATABASE_URL: shared.config.databaseUrl,
        REDIS_URL: shared.config.redisUrl!,
        QUEUE_PREFIX: queuePrefix,
        SESSION_SECRET: shared.config.sessionSecret,
        PORT: String(port),
        BASE_URL: otherUrl,
        LOGIN_RATE_LIMIT_PER_IP: '1000',
        PASSWORD_HASH_COST: 'minimal',
      });
      await eventually(
        async () =>
          (
            await request(otherUrl)
              .get('/healthz')
              .catch(() => null)
          )?.status === 200,
        90_000,
        200,
      );
    }, 120_000);
    afterAll(async () => {
      await other?.stop('SIGTERM');
      await shared?.close();
    });

    it('a change made through one process reaches a stream opened on another', async () => {
      const ana = await createUser(shared, { name: 'Ana Elsewhere' });
      const ben = await createUser(shared);
      const project = await createProject({ members: [ana, ben] });
      const sharedUrl = `http://127.0.0.1:${(shared.http.address() as { port: number }).port}`;
      const benThere = await signInAt(otherUrl, ben);
      const stream = await openStream(otherUrl, `/projects/${project.id}/live`, benThere.cookie);
      streams.push(stream);
      expect(stream.status).toBe(200);

      const anaHere = await signInAt(sharedUrl, ana);
      const created = await submit(sharedUrl, anaHere, 'post', `/projects/${project.id}/tickets`, {
        title: 'From the other process',
      });
      expect(created.status).toBe(200);
      const event = await stream.waitFor((received) => Boolean(received.data.ticketId));
      expect(event.data.by).toBe('Ana Elsewhere');
    });
  });
});

function timeout(ms: number, message: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(message)), ms).unref());
}
