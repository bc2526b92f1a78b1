import { randomUUID } from 'node:crypto';
import { TicketActivity } from '../../src/activity/ticket-activity.model';
import type { User } from '../../src/accounts/user.model';
import { Comment } from '../../src/comments/comment.model';
import { TIMELINE_PAGE_SIZE } from '../../src/comments/comments-timeline';
import type { Project } from '../../src/projects/project.model';
import { Ticket } from '../../src/tickets/ticket.model';
import { createUser } from '../helpers/factories';
import { Client, signIn, UNPOLY_MODAL, submitForm } from '../helpers/http';
import { countQueries } from '../helpers/query-counter';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createProject, createTickets } from './tickets-fixtures';

/** The ids of the timeline's entries in the order the page shows them. */
const entryKeys = (html: string) =>
  [...html.matchAll(/<li id="((?:comment|history)-[^"]+)"[^>]*data-timeline-entry/g)].map((match) => match[1]);
const unescape = (href: string) => href.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

describe('comments and the ticket timeline', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const send = submitForm;

  async function setup() {
    const alice = await createUser(t, { name: 'Alice Author' });
    const bob = await createUser(t, { name: 'Bob Bystander' });
    const project = await createProject([alice, bob]);
    const [ticket] = await createTickets(project, alice, 1, () => ({ title: 'Discussed' }));
    const a = await signIn(t.http, alice.email);
    const b = await signIn(t.http, bob.email);
    const url = `/projects/${project.id}/tickets/${ticket.id}`;
    await a.page(url);
    await b.page(url);
    return { alice, bob, project, ticket, a, b, url, comments: `${url}/comments` };
  }

  /** Comments made through the service path, as a person would. */
  async function comment(c: Client, comments: string, body: string): Promise<Comment> {
    const response = await send(c, 'post', comments, { body });
    expect(response.status).toBe(200);
    return (await Comment.findOne({ where: { body }, order: [['createdAt', 'DESC']] }))!;
  }

  it('adds a comment without closing the modal: the timeline re-renders with it, the count and history move', async () => {
    const { alice, ticket, a, url, comments } = await setup();
    const response = await send(a, 'post', comments, { body: 'Looks **good** <script>alert(1)</script>' });
    expect(response.status).toBe(200);
    expect(response.headers['x-up-accept-layer']).toBeUndefined();
    expect(JSON.parse(response.headers['x-up-events'])).toEqual([{ type: 'tickets:changed' }]);
    expect(response.text).toContain('id="ticket-timeline"');
    expect(response.text).toContain('Comment added.');
    expect(response.text).toContain('<strong>good</strong>');
    expect(response.text).not.toContain('<script>alert');
    expect(response.text).toMatch(/<textarea[^>]*id="comment-body"[^>]*><\/textarea>/);

    const stored = await Ticket.findByPk(ticket.id);
    expect(stored).toMatchObject({ commentCount: 1, version: ticket.version });
    const comment = (await Comment.findOne({ where: { ticketId: ticket.id } }))!;
    expect(comment.authorId).toBe(alice.id);
    const [entry] = await TicketActivity.findAll({ where: { ticketId: ticket.id } });
    expect(entry).toMatchObject({ kind: 'commented', actorId: alice.id, toValue: comment.id });
    expect((await a.page(url)).text).toContain('<strong>good</strong>');
  });

  it('without JavaScript, a comment redirects back to the ticket with a message', async () => {
    const { a, url, comments } = await setup();
    const response = await send(a, 'post', comments, { body: 'Plain page comment' }, {});
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(url);
    const page = await a.page(url);
    expect(page.text).toContain('Comment added.');
    expect(page.text).toContain('Plain page comment');
  });

  it.each([
    ['blank', '   \n  ', 'Write something before sending the comment.'],
    ['too long', 'x'.repeat(10_001), 'Keep the comment to 10,000 characters or fewer.'],
  ])('refuses a %s comment with 422 in place, the text kept, nothing written', async (_label, body, message) => {
    const { ticket, a, comments } = await setup();
    const response = await send(a, 'post', comments, { body });
    expect(response.status).toBe(422);
    expect(response.text).toContain('id="ticket-timeline"');
    expect(response.text).toContain(`data-error-for="body">${message}`);
    if (body.trim()) expect(response.text).toContain(`${body}</textarea>`);
    expect(await Comment.count({ where: { ticketId: ticket.id } })).toBe(0);
    expect((await Ticket.findByPk(ticket.id))!.commentCount).toBe(0);
  });

  it('lets the author edit their comment in place, marked as edited', async () => {
    const { ticket, a, url, comments } = await setup();
    const mine = await comment(a, comments, 'First thought');
    const form = await a.agent.get(`${comments}/${mine.id}/edit`).set(UNPOLY_MODAL);
    expect(form.status).toBe(200);
    expect(form.text).toContain('>First thought</textarea>');

    const blank = await send(a, 'patch', `${comments}/${mine.id}`, { body: ' ' });
    expect(blank.status).toBe(422);
    expect(blank.text).toContain('data-error-for="body">Write something');

    const response = await send(a, 'patch', `${comments}/${mine.id}`, { body: 'Second *thought*' });
    expect(response.status).toBe(200);
    expect(response.text).toContain(`id="comment-${mine.id}"`);
    expect(response.text).toContain('<em>thought</em>');
    expect(response.text).toContain('data-edited');
    await mine.reload();
    expect(mine.body).toBe('Second *thought*');
    expect(mine.editedAt).not.toBeNull();
    // An edit is no change of the ticket: its version and count stay.
    expect(await Ticket.findByPk(ticket.id)).toMatchObject({ version: ticket.version, commentCount: 1 });
    expect((await a.page(url)).text).toContain('data-edited');
  });

  it("answers 404 to editing someone else's comment, and to a member deleting it", async () => {
    const { a, b, comments } = await setup();
    const theirs = await comment(a, comments, 'Alice wrote this');
    expect((await b.agent.get(`${comments}/${theirs.id}/edit`)).status).toBe(404);
    expect((await send(b, 'patch', `${comments}/${theirs.id}`, { body: 'Bob rewrote it' })).status).toBe(404);
    expect((await b.agent.get(`${comments}/${theirs.id}/delete`)).status).toBe(404);
    expect((await send(b, 'delete', `${comments}/${theirs.id}`)).status).toBe(404);
    await theirs.reload();
    expect(theirs.body).toBe('Alice wrote this');
    // Bob sees no edit or delete control on it.
    const page = await b.page(`${comments.replace(/\/comments$/, '')}`);
    expect(page.text).not.toContain('data-edit-comment');
    expect(page.text).not.toContain('data-delete-comment');
  });

  it('lets the author delete their comment: the timeline re-renders, the count and history move', async () => {
    const { alice, ticket, a, comments } = await setup();
    const mine = await comment(a, comments, 'Soon gone');
    // The confirmation, a page that is also a modal, shows the comment and the form that deletes it.
    const confirmation = await a.agent.get(`${comments}/${mine.id}/delete`);
    expect(confirmation.status).toBe(200);
    expect(confirmation.text).toContain('Delete this comment?');
    expect(confirmation.text).toContain('Soon gone');
    expect(confirmation.text).toContain(`action="${comments}/${mine.id}"`);
    const response = await send(a, 'delete', `${comments}/${mine.id}`);
    expect(response.status).toBe(200);
    expect(response.text).toContain('Comment deleted.');
    expect(response.text).not.toContain('Soon gone');
    expect(response.text).toContain('deleted a comment');
    expect(await Comment.findByPk(mine.id)).toBeNull();
    expect(await Ticket.findByPk(ticket.id)).toMatchObject({ commentCount: 0, version: ticket.version });
    const kinds = (await TicketActivity.findAll({ where: { ticketId: ticket.id }, order: [['id', 'ASC']] })).map(
      (entry) => [entry.kind, entry.actorId],
    );
    expect(kinds).toEqual([
      ['commented', alice.id],
      ['comment-deleted', alice.id],
    ]);
  });

  it("lets a manager delete anyone's comment", async () => {
    const { ticket, a, comments } = await setup();
    const theirs = await comment(a, comments, 'Off topic');
    const manager = await createUser(t, { role: 'MANAGER' });
    const m = await signIn(t.http, manager.email);
    await m.page(comments.replace(/\/comments$/, ''));
    expect((await m.agent.get(`${comments}/${theirs.id}/edit`)).status).toBe(404);
    expect((await m.agent.get(`${comments}/${theirs.id}/delete`)).status).toBe(200);
    expect((await send(m, 'delete', `${comments}/${theirs.id}`)).status).toBe(200);
    expect(await Comment.findByPk(theirs.id)).toBeNull();
    expect((await Ticket.findByPk(ticket.id))!.commentCount).toBe(0);
  });

  it('answers 404 to a non-member, to a comment of another ticket, and to a deleted ticket', async () => {
    const { project, alice, a, comments, url } = await setup();
    const mine = await comment(a, comments, 'Scoped');
    const outsider = await createUser(t);
    const o = await signIn(t.http, outsider.email);
    expect((await send(o, 'post', comments, { body: 'Let me in' })).status).toBe(404);
    expect((await o.agent.get(`${comments}/${mine.id}`)).status).toBe(404);

    const [other] = await createTickets(project, alice, 1);
    const elsewhere = `/projects/${project.id}/tickets/${other.id}/comments/${mine.id}`;
    expect((await a.agent.get(`${elsewhere}/edit`)).status).toBe(404);
    expect((await send(a, 'delete', elsewhere)).status).toBe(404);
    expect((await a.agent.get(`${comments}/not-a-uuid/edit`)).status).toBe(404);

    // The ticket goes (with its comments and history): a modal still open gets 404.
    expect((await send(a, 'delete', url)).status).toBe(200);
    expect(await Comment.findByPk(mine.id)).toBeNull();
    expect(await TicketActivity.count({ where: { ticketId: mine.ticketId } })).toBe(0);
    const stale = await send(a, 'post', comments, { body: 'Too late' });
    expect(stale.status).toBe(404);
    expect(stale.text).toContain('no longer exists');
    expect((await send(a, 'patch', `${comments}/${mine.id}`, { body: 'Too late' })).status).toBe(404);
  });

  it('shows history entries with their actor, marked when deactivated', async () => {
    const { bob, ticket, b, url } = await setup();
    const details = await b.page(url);
    const status = await send(b, 'patch', url, {
      source: 'details',
      status: 'REVIEW',
      version: String(ticket.version),
      baseStatus: 'OPEN',
    });
    expect(status.status).toBe(200);
    expect(status.text).toContain('Bob Bystander</span> changed the status from Open to Review');
    expect(details.status).toBe(200);
    await bob.update({ isActive: false });
    const a = await signIn(t.http, (await Ticket.findByPk(ticket.id, { include: ['reporter'] }))!.reporter!.email);
    expect((await a.page(url)).text).toMatch(/Bob Bystander<\/span> \(deactivated\) changed the status/);
  });

  describe('long timelines', () => {
    let project: Project;
    let member: User;

    /** A ticket with `comments` comments and `history` history entries, interleaved in time, by bulk inserts. */
    /** A ticket with comments and history (title changes, then `assignments` assignee changes, newest). */
    async function ticketWith(comments: number, history: number, assignments = 0): Promise<Ticket> {
      const [ticket] = await createTickets(project, member, 1);
      const base = Date.now() - (comments + history + assignments) * 2000;
      if (comments)
        await Comment.bulkCreate(
          Array.from({ length: comments }, (_, i) => ({
            id: randomUUID(),
            ticketId: ticket.id,
            authorId: member.id,
            body: `Comment ${i}`,
            createdAt: new Date(base + i * 2000),
            updatedAt: new Date(base + i * 2000),
          })),
        );
      if (history)
        await TicketActivity.bulkCreate(
          Array.from({ length: history }, (_, i) => ({
            ticketId: ticket.id,
            actorId: member.id,
            kind: 'changed',
            field: 'title',
            fromValue: `Title ${i}`,
            toValue: `Title ${i + 1}`,
            createdAt: new Date(base + i * 2000 + 1000),
          })),
        );
      if (assignments)
        await TicketActivity.bulkCreate(
          Array.from({ length: assignments }, (_, i) => ({
            ticketId: ticket.id,
            actorId: member.id,
            kind: 'changed',
            field: 'assigneeId',
            fromValue: i % 2 ? member.id : null,
            toValue: i % 2 ? null : member.id,
            createdAt: new Date(base + (Math.max(comments, history) + i) * 2000 + 1500),
          })),
        );
      await ticket.update({ commentCount: comments });
      return ticket;
    }

    beforeAll(async () => {
      member = await createUser(t, { name: 'Tim Line' });
      project = await createProject([member]);
    });

    it('opens with the newest page, oldest first, and loads earlier pages in place until the beginning', async () => {
      const ticket = await ticketWith(40, 40);
      const c = await signIn(t.http, member.email);
      const url = `/projects/${project.id}/tickets/${ticket.id}`;
      const first = await c.page(url);
      const keys = entryKeys(first.text);
      expect(keys).toHaveLength(TIMELINE_PAGE_SIZE);
      expect(first.text).toContain('Comment 39');
      expect(first.text).toContain('from “Title 39” to “Title 40”');
      expect(first.text.indexOf('Comment 25')).toBeLessThan(first.text.indexOf('Comment 39'));

      const seen = [...keys];
      let html = first.text;
      for (let round = 0; round < 5; round++) {
        const link = /<a href="([^"]+)" up-target="#(timeline-earlier-[^"]+)"[^>]*data-earlier-link/.exec(html);
        if (!link) break;
        const response = await c.agent.get(unescape(link[1])).set({ ...UNPOLY_MODAL, 'X-Up-Target': `#${link[2]}` });
        expect(response.status).toBe(200);
        expect(response.text).toContain(`<div id="${link[2]}">`);
        html = response.text;
        seen.unshift(...entryKeys(html));
      }
      // Every comment and history entry (the ticket's own "created" is not in the bulk data) exactly once, in time order.
      expect(seen).toHaveLength(80);
      expect(new Set(seen).size).toBe(80);
      expect(seen[0]).toMatch(/^comment-/);
      expect(seen[1]).toMatch(/^history-/);
      expect(html).not.toContain('data-earlier-link');
    }, 60_000);

    it('serves an earlier page as a plain page too, and answers a broken cursor with 400', async () => {
      const ticket = await ticketWith(35, 0);
      const c = await signIn(t.http, member.email);
      const url = `/projects/${project.id}/tickets/${ticket.id}`;
      const link = /<a href="([^"]+)"[^>]*data-earlier-link/.exec((await c.page(url)).text)!;
      const plain = await c.agent.get(unescape(link[1]));
      expect(plain.status).toBe(200);
      expect(plain.text).toContain('<html');
      expect(entryKeys(plain.text)).toHaveLength(5);
      expect(plain.text).toContain('Back to the ticket');
      expect((await c.agent.get(`${url}/comments?before=yesterday`)).status).toBe(400);
    });

    it('opens a ticket with 1,000 comments and 1,000 history entries with as many statements as one with one of each', async () => {
      // Assignee entries name people: names not among the people with access cost the page one statement, whatever their number.
      const small = await ticketWith(1, 1, 1);
      const large = await ticketWith(1000, 1000, 500);
      const c = await signIn(t.http, member.email);
      const count = async (ticket: Ticket) =>
        (await countQueries(t.sequelize, () => c.agent.get(`/projects/${project.id}/tickets/${ticket.id}`))).count;
      await c.agent.get('/'); // warm: the first request of a session may touch it
      // First views: a view after them reuses what this process kept (see the next test).
      const atOne = await count(small);
      const atThousand = await count(large);
      expect(atThousand).toBe(atOne);
      // The signed-in context (with the unread count), the ticket with the people with access
      // and the history's first page (whose assignees have access: named from that list), and
      // the comments.
      expect(atOne).toBeLessThanOrEqual(3);
      const page = await c.page(`/projects/${project.id}/tickets/${large.id}`);
      expect(entryKeys(page.text)).toHaveLength(TIMELINE_PAGE_SIZE);
      expect(page.text).toContain('assigned the ticket to Tim Line');
      expect(page.text).toContain('unassigned Tim Line');
    }, 60_000);

    it("spares a ticket without comments the comments' statement: its comment count says there are none", async () => {
      const none = await ticketWith(0, 1);
      const one = await ticketWith(1, 1);
      const c = await signIn(t.http, member.email);
      const count = async (ticket: Ticket) =>
        (await countQueries(t.sequelize, () => c.agent.get(`/projects/${project.id}/tickets/${ticket.id}`))).count;
      await c.agent.get('/'); // warm: the first request of a session may touch it
      expect(await count(none)).toBe((await count(one)) - 1);
      expect(entryKeys((await c.page(`/projects/${project.id}/tickets/${one.id}`)).text)).toHaveLength(2);
    });
  });
});
