import { randomUUID } from 'node:crypto';
import type { User } from '../../src/accounts/user.model';
import { INBOX_PAGE_SIZE } from '../../src/notifications/notifications.controller';
import { Notification } from '../../src/notifications/notification.model';
import type { Project } from '../../src/projects/project.model';
import type { Ticket } from '../../src/tickets/ticket.model';
import { createUser } from '../helpers/factories';
import { Client, signIn, submitForm, UNPOLY_MODAL } from '../helpers/http';
import { countQueries, statementsOf } from '../helpers/query-counter';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createProject, createTickets } from './tickets-fixtures';

/** The notification ids of an inbox page, in the order shown. */
const shown = (html: string) => [...html.matchAll(/data-notification="([^"]+)"/g)].map((match) => match[1]);
const unreadBadge = (html: string) => /data-unread-count="(\d+)"/.exec(html)?.[1] ?? null;
const olderLink = (html: string) => /href="(\/notifications\?before=[^"]+)"/.exec(html)?.[1];

describe('the inbox and the navbar bell', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function setup() {
    const alice = await createUser(t, { name: 'Alice Reporter' });
    const bob = await createUser(t, { name: 'Bob Commenter' });
    const project = await createProject([alice, bob]);
    const [ticket] = await createTickets(project, alice, 1, () => ({ title: `Watched ${randomUUID().slice(0, 6)}` }));
    const a = await signIn(t.http, alice.email);
    const b = await signIn(t.http, bob.email);
    return { alice, bob, project, ticket, a, b, url: `/projects/${project.id}/tickets/${ticket.id}` };
  }

  /** How many statements on the notifications table `action` causes. */
  async function notificationStatements(action: () => Promise<unknown>): Promise<number> {
    return (await statementsOf(t.sequelize, action)).filter((sql) => /\bnotifications\b/.test(sql)).length;
  }

  /** `count` notifications for `recipient` with one multi-row INSERT, `perInstant` sharing each created_at. */
  async function notificationsFor(
    recipient: User,
    project: Project,
    ticket: Ticket,
    actor: User,
    count: number,
    perInstant = 1,
  ): Promise<Notification[]> {
    const start = Date.now() - count * 1000;
    return Notification.bulkCreate(
      Array.from({ length: count }, (_, i) => ({
        recipientId: recipient.id,
        projectId: project.id,
        ticketId: ticket.id,
        actorId: actor.id,
        kind: 'commented',
        detail: `Comment ${i}`,
        createdAt: new Date(start + Math.floor(i / perInstant) * 1000),
      })),
    );
  }

  it('tells the reporter of a comment made over HTTP: the bell counts it, the inbox links to the ticket', async () => {
    const { alice, a, b, ticket, url } = await setup();
    expect(unreadBadge((await a.page('/')).text)).toBeNull();

    expect((await submitForm(b, 'post', `${url}/comments`, { body: 'Have a look' })).status).toBe(200);
    const dashboard = await a.page('/');
    expect(unreadBadge(dashboard.text)).toBe('1');
    expect(dashboard.text).toContain('aria-label="Notifications, 1 unread"');
    // The commenter is not told of their own comment.
    expect(unreadBadge((await b.page('/')).text)).toBeNull();

    const inbox = await a.agent.get('/notifications').set(UNPOLY_MODAL).expect(200);
    expect(inbox.text).toContain('Bob Commenter');
    expect(inbox.text).toContain('commented on');
    expect(inbox.text).toContain(`href="${url}" up-layer="new modal"`);
    expect(inbox.text).toContain(`#${ticket.number} ${ticket.title}`);
    expect(inbox.text).toContain('Have a look');
    expect((await a.agent.get(url)).status).toBe(200);
    expect(await Notification.count({ where: { recipientId: alice.id, readAt: null } })).toBe(1);
  });

  it('lists newest first by keyset pages, every notification once, even many of the same instant', async () => {
    const { alice, bob, project, ticket, a } = await setup();
    const rows = await notificationsFor(alice, project, ticket, bob, 2 * INBOX_PAGE_SIZE + 7, 4);
    const expected = [...rows]
      .sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (x.id < y.id ? 1 : -1))
      .map((row) => row.id);
    const seen: string[] = [];
    let next: string | undefined = '/notifications';
    let pages = 0;
    while (next) {
      const response = await a.agent.get(next).expect(200);
      const ids = shown(response.text);
      expect(ids.length).toBeLessThanOrEqual(INBOX_PAGE_SIZE);
      seen.push(...ids);
      next = olderLink(response.text);
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);
  });

  it('marks one read, in place in the modal, refreshing the bell; someone else’s or no notification is 404', async () => {
    const { alice, bob, project, ticket, a, b } = await setup();
    const [first, second] = await notificationsFor(alice, project, ticket, bob, 2);
    await a.page('/');

    const response = await submitForm(a, 'post', `/notifications/${first.id}/read`);
    expect(response.status).toBe(200);
    expect(response.text).toContain('Marked as read.');
    expect(JSON.parse(response.headers['x-up-events'])).toEqual([{ type: 'notifications:changed' }]);
    expect((await first.reload()).readAt).not.toBeNull();
    expect((await second.reload()).readAt).toBeNull();
    expect(unreadBadge((await a.page('/')).text)).toBe('1');
    // A double click: the second answer is the same, nothing else changes.
    expect((await submitForm(a, 'post', `/notifications/${first.id}/read`)).status).toBe(200);

    await b.page('/');
    for (const id of [second.id, randomUUID(), 'not-an-id']) {
      const refused = await submitForm(b, 'post', `/notifications/${id}/read`);
      expect({ id, status: refused.status }).toEqual({ id, status: 404 });
    }
    expect((await second.reload()).readAt).toBeNull();

    // Without JavaScript: a redirect to the inbox with the message.
    const plain = await submitForm(a, 'post', `/notifications/${second.id}/read`, {}, {});
    expect(plain.status).toBe(303);
    expect(plain.headers.location).toBe('/notifications');
    expect((await a.page('/notifications')).text).toContain('Marked as read.');
  });

  it('marks all read up to the newest shown: one that arrived meanwhile stays unread', async () => {
    const { alice, bob, project, ticket, a } = await setup();
    await notificationsFor(alice, project, ticket, bob, 3);
    const inbox = await a.page('/notifications');
    const upTo = /name="upTo" value="([^"]+)"/.exec(inbox.text)![1];
    const [late] = await Notification.bulkCreate([
      {
        recipientId: alice.id,
        projectId: project.id,
        ticketId: ticket.id,
        actorId: bob.id,
        kind: 'status',
        detail: 'DONE',
        createdAt: new Date(Date.now() + 60_000),
      },
    ]);

    const response = await submitForm(a, 'post', '/notifications/read', { upTo });
    expect(response.status).toBe(200);
    expect(response.text).toContain('3 notifications marked as read.');
    expect(await Notification.count({ where: { recipientId: alice.id, readAt: null } })).toBe(1);
    expect((await late.reload()).readAt).toBeNull();
    expect(unreadBadge((await a.page('/')).text)).toBe('1');

    expect((await submitForm(a, 'post', '/notifications/read')).text).toContain('One notification marked as read.');
    expect(unreadBadge((await a.page('/')).text)).toBeNull();
  });

  it('refuses a bad cursor with 400 and a message, and unsafe requests without the CSRF token', async () => {
    const { alice, bob, project, ticket, a } = await setup();
    const [row] = await notificationsFor(alice, project, ticket, bob, 1);
    for (const before of ['x', '12-nope', `99999999999999-${randomUUID()}x`]) {
      const response = await a.agent.get(`/notifications?before=${encodeURIComponent(before)}`);
      expect({ before, status: response.status }).toEqual({ before, status: 400 });
      expect(response.text).toContain('id="error-message"');
    }
    expect((await a.agent.get('/notifications?before=a&before=b')).status).toBe(400);
    expect((await submitForm(a, 'post', '/notifications/read', { upTo: 'yesterday' })).status).toBe(400);
    expect((await a.agent.post(`/notifications/${row.id}/read`).type('form').send({})).status).toBe(403);
    expect((await a.agent.post('/notifications/read').type('form').send({})).status).toBe(403);
    expect(await Notification.count({ where: { recipientId: alice.id, readAt: null } })).toBe(1);
  });

  it('costs a fixed number of statements: the inbox and the bell at 1 and at 1,000 notifications', async () => {
    const one = await setup();
    const many = await setup();
    await notificationsFor(one.alice, one.project, one.ticket, one.bob, 1);
    await notificationsFor(many.alice, many.project, many.ticket, many.bob, 1000);
    const measure = async (c: Client, path: string) => countQueries(t.sequelize, () => c.agent.get(path).expect(200));

    for (const path of ['/notifications', '/']) {
      const atOne = await measure(one.a, path);
      const atThousand = await measure(many.a, path);
      expect({ path, count: atThousand.count }).toEqual({ path, count: atOne.count });
    }
    // The inbox: session, user, the bell's count, one page of notifications with their tickets and actors.
    expect((await measure(many.a, '/notifications')).count).toBeLessThanOrEqual(4);
    // The bell costs one statement on a page, and nothing where nothing is rendered.
    expect(await notificationStatements(() => many.a.agent.get('/').expect(200))).toBe(1);
    // A redirect renders nothing, so it costs no count.
    const plain = await notificationStatements(() => many.a.agent.get('/login').redirects(0).expect(303));
    expect(plain).toBe(0);
    expect(unreadBadge((await many.a.page('/')).text)).toBe('1000');
  }, 60_000);
});
