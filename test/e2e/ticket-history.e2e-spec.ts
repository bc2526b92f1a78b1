import { TRACKED_FIELDS, TrackedField } from '../../src/activity/activity-kinds';
import { TicketActivity } from '../../src/activity/ticket-activity.model';
import { Comment } from '../../src/comments/comment.model';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../src/common/board-contract';
import { Ticket } from '../../src/tickets/ticket.model';
import { createUser } from '../helpers/factories';
import { Client, signIn, UNPOLY_MODAL, submitForm } from '../helpers/http';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createProject } from './tickets-fixtures';

/** A seeded sequence, so that a failure can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('the history agrees with the tickets, whatever path changed them', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('replays every ticket from its history to its current fields, comment count included', async () => {
    const alice = await createUser(t, { name: 'Alice' });
    const bob = await createUser(t, { name: 'Bob' });
    const manager = await createUser(t, { name: 'Manon', role: 'MANAGER' });
    const project = await createProject([alice, bob]);
    const clients: Client[] = [await signIn(t.http, alice.email), await signIn(t.http, bob.email)];
    const managing = await signIn(t.http, manager.email);
    const random = seededRandom(12);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const base = `/projects/${project.id}/tickets`;
    const send = (c: Client, path: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
      submitForm(c, 'post', path, body, headers);

    for (let i = 0; i < 4; i++) {
      const c = pick(clients);
      await c.page(`/projects/${project.id}`);
      const created = await send(c, base, { title: `History ${i}`, description: `Start ${i}`, priority: 'LOW' });
      expect(created.status).toBe(200);
    }
    const tickets = await Ticket.findAll({ where: { projectId: project.id } });
    expect(tickets).toHaveLength(4);
    // What each ticket was created with: the replay starts from here.
    const initial = new Map(
      tickets.map((ticket) => [
        ticket.id,
        Object.fromEntries(TRACKED_FIELDS.map((field) => [field, ticket[field]])) as Record<TrackedField, string>,
      ]),
    );
    const paths = [
      'edit',
      'details',
      'board',
      'stale-edit',
      'comment',
      'uncomment',
      'assign',
      'remove-member',
    ] as const;
    const statuses: Record<string, number> = {};
    for (let step = 0; step < 60; step++) {
      const c = pick(clients);
      const ticket = (await Ticket.findByPk(pick(tickets).id))!;
      const url = `${base}/${ticket.id}`;
      const path = pick(paths);
      let response;
      if (path === 'edit' || path === 'stale-edit') {
        // A stale edit was made on an older version but touches only the title: it merges.
        const version = path === 'stale-edit' ? Math.max(0, ticket.version - 1) : ticket.version;
        response = await send(c, url, {
          _method: 'patch',
          source: 'edit',
          version: String(version),
          title: random() < 0.5 ? `Title ${step}` : ticket.title,
          description: random() < 0.5 ? `Text ${step}` : ticket.description,
          priority: pick(TICKET_PRIORITIES),
          status: ticket.status,
          baseTitle: ticket.title,
          baseDescription: ticket.description,
          basePriority: ticket.priority,
          baseStatus: ticket.status,
        });
      } else if (path === 'details' || path === 'board') {
        response = await send(
          c,
          url,
          {
            _method: 'patch',
            source: path,
            status: pick(TICKET_STATUSES),
            version: String(ticket.version),
            baseStatus: ticket.status,
          },
          path === 'board' ? { 'X-Up-Version': '3.14.3', 'X-CSRF-Token': c.csrf } : UNPOLY_MODAL,
        );
      } else if (path === 'assign') {
        response = await send(c, url, {
          _method: 'patch',
          source: 'details',
          assigneeId: pick([alice.id, bob.id, manager.id, '']),
          version: String(ticket.version),
          baseAssigneeId: ticket.assigneeId ?? '',
        });
      } else if (path === 'remove-member') {
        // The bulk path: removing Bob unassigns his open tickets in one statement; he comes back at once.
        const assigned = await send(c, url, {
          _method: 'patch',
          source: 'details',
          assigneeId: bob.id,
          version: String(ticket.version),
          baseAssigneeId: ticket.assigneeId ?? '',
        });
        expect(assigned.status).toBe(200);
        response = await send(managing, `/projects/${project.id}/members/${bob.id}`, { _method: 'delete' });
        expect(response.status).toBe(200);
        const back = await send(managing, `/projects/${project.id}/members`, { userId: bob.id });
        expect(back.status).toBe(200);
      } else if (path === 'comment') {
        response = await send(c, `${url}/comments`, { body: `Comment ${step}` });
      } else {
        const comment = await Comment.findOne({ where: { ticketId: ticket.id } });
        if (!comment) continue;
        const author = clients[comment.authorId === alice.id ? 0 : 1];
        response = await send(author, `${url}/comments/${comment.id}`, { _method: 'delete' });
      }
      statuses[`${path} ${response.status}`] = (statuses[`${path} ${response.status}`] ?? 0) + 1;
      expect([200, 204, 409]).toContain(response.status);
    }
    // Every path was taken.
    for (const path of paths) expect(Object.keys(statuses).some((key) => key.startsWith(`${path} `))).toBe(true);
    // And the tickets did change, so the replay below has something to agree with.
    expect(await TicketActivity.count({ where: { kind: 'moved' } })).toBeGreaterThan(0);
    expect(await TicketActivity.count({ where: { kind: 'changed', field: 'assigneeId' } })).toBeGreaterThan(0);
    expect(await TicketActivity.count({ where: { kind: 'access-lost' } })).toBeGreaterThan(0);

    for (const { id } of tickets) {
      const ticket = (await Ticket.findByPk(id))!;
      const history = await TicketActivity.findAll({ where: { ticketId: id }, order: [['id', 'ASC']] });
      expect(history[0].kind).toBe('created');
      const replayed = { ...initial.get(id)! };
      let comments = 0;
      for (const entry of history) {
        if (entry.kind === 'commented') comments += 1;
        if (entry.kind === 'comment-deleted') comments -= 1;
        if (!entry.field) continue;
        expect(['moved', 'changed', 'access-lost']).toContain(entry.kind);
        expect(entry.fromValue).toBe(replayed[entry.field]);
        expect(entry.fromValue).not.toBe(entry.toValue);
        replayed[entry.field] = entry.toValue!;
      }
      for (const field of TRACKED_FIELDS) expect([field, replayed[field]]).toEqual([field, ticket[field]]);
      expect(comments).toBe(ticket.commentCount);
      expect(comments).toBe(await Comment.count({ where: { ticketId: id } }));
    }
  }, 120_000);
});
