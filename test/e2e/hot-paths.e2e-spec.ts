import request from 'supertest';
import { AccountsService } from '../../src/accounts/accounts.service';
import { Session } from '../../src/accounts/session.model';
import { UsersService } from '../../src/accounts/users.service';
import { MembershipsService } from '../../src/projects/memberships.service';
import { ProjectsService } from '../../src/projects/projects.service';
import { Ticket } from '../../src/tickets/ticket.model';
import { TicketsService } from '../../src/tickets/tickets.service';
import { Comment } from '../../src/comments/comment.model';
import { CommentsService } from '../../src/comments/comments.service';
import { User } from '../../src/accounts/user.model';
import { Project } from '../../src/projects/project.model';
import { createUser } from '../helpers/factories';
import { Client, sessionCookie, signIn, submitForm, UNPOLY_MODAL } from '../helpers/http';
import { countQueries } from '../helpers/query-counter';
import { startTestApp, TestApp } from '../helpers/test-app';
import { usesPostgres } from '../helpers/test-config';
import { positional, PreparedReads } from '../../src/database/prepared-reads';
import { createProject, createTickets } from './tickets-fixtures';

/**
 * The hot paths (src/hot-paths) answer the dashboard, the board and the details before the
 * regular pipeline, for a URL without a query. The same page asked with a query that changes
 * nothing (`/projects/:id?view=board`) always takes the regular pipeline, so each case below asks
 * both and expects the same answer: status, headers and bytes.
 */
describe('the hot paths', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  type Answer = { status: number; headers: Record<string, unknown>; body: string };

  const REGULAR_QUERY = '?view=board';

  /**
   * The parts of an answer that must match; the date and the cookie's expiry second may differ,
   * and a redirect to the sign-in page names the page asked for (with the regular path's query).
   */
  const comparable = (response: request.Response): Answer => {
    const headers = { ...response.headers } as Record<string, unknown>;
    delete headers.date;
    const asked = encodeURIComponent(REGULAR_QUERY);
    if (typeof headers.location === 'string' && headers.location.includes(asked)) {
      headers.location = headers.location.replace(asked, '');
      delete headers['content-length'];
      return { status: response.status, headers, body: response.text.replace(asked, '') };
    }
    if (response.status === 303) delete headers['content-length'];
    if (headers['set-cookie'])
      headers['set-cookie'] = (headers['set-cookie'] as string[]).map((c) => c.replace(/Expires=[^;]+/, 'Expires=…'));
    return { status: response.status, headers, body: response.text };
  };

  const ask = (path: string, cookie: string | undefined, headers: Record<string, string> = {}) => {
    const req = request(t.http).get(path).set(headers);
    return cookie ? req.set('Cookie', cookie) : req;
  };

  /** The hot path's answer and the regular pipeline's, for the same session (the hot one first). */
  async function bothAnswers(projectId: string, cookie: string | undefined, headers: Record<string, string> = {}) {
    return bothAnswersAt(`/projects/${projectId}`, cookie, headers);
  }

  async function bothAnswersAt(path: string, cookie: string | undefined, headers: Record<string, string> = {}) {
    const hot = comparable(await ask(path, cookie, headers));
    const regular = comparable(await ask(`${path}${path === '/' ? '?page=1' : REGULAR_QUERY}`, cookie, headers));
    return { hot, regular };
  }

  const statementsOf = async (path: string, cookie: string, headers: Record<string, string> = {}) =>
    (await countQueries(t.sequelize, () => ask(path, cookie, headers))).count;

  /** Every answer to a signed-in request carries the session cookie (it rolls). */
  const cookieOf = async (c: Client) => {
    const cookie = sessionCookie(await c.agent.get('/'));
    if (!cookie) throw new Error('no session cookie');
    return cookie;
  };

  async function boardWithMember() {
    const member = await createUser(t, { name: 'Ana Member' });
    const project = await createProject([member]);
    await createTickets(project, member, 30, (i) => ({ status: (['OPEN', 'REVIEW', 'DONE'] as const)[i % 3] }));
    // Old enough that "… ago" does not change between the two answers.
    await Ticket.update({ createdAt: new Date('2026-01-05T10:00:00Z') }, { where: { projectId: project.id } });
    const c = await signIn(t.http, member.email);
    return { member, project, c, cookie: await cookieOf(c) };
  }

  it('serves a member the same page, headers and cookie as the regular pipeline, in one statement', async () => {
    const { project, cookie } = await boardWithMember();
    const { hot, regular } = await bothAnswers(project.id, cookie);
    expect(hot.status).toBe(200);
    expect(hot.body).toContain('data-number="30"');
    expect(hot).toEqual(regular);

    expect(await statementsOf(`/projects/${project.id}`, cookie)).toBe(1);
    // The regular pipeline reads the session, the user, the project access and the unread count one by one.
    expect(await statementsOf(`/projects/${project.id}${REGULAR_QUERY}`, cookie)).toBe(4);
  });

  it('serves the dashboard and the details (as a page and as a modal) the same way, with fewer statements', async () => {
    const { project, cookie } = await boardWithMember();
    const ticket = await Ticket.findOne({ where: { projectId: project.id, number: 7 }, rejectOnEmpty: true });
    const details = `/projects/${project.id}/tickets/${ticket.id}`;
    for (const [path, headers] of [
      ['/', {}],
      [details, {}],
      [details, UNPOLY_MODAL],
    ] as const) {
      const { hot, regular } = await bothAnswersAt(path, cookie, headers);
      expect({ path, status: hot.status }).toEqual({ path, status: 200 });
      expect(hot).toEqual(regular);
    }
    // Each page's own read in the same statement as the session, user, (project access) and unread count.
    expect(await statementsOf('/', cookie)).toBe(1);
    expect(await statementsOf('/?page=1', cookie)).toBe(4);
    expect(await statementsOf(details, cookie)).toBe(1);
    expect(await statementsOf(`${details}${REGULAR_QUERY}`, cookie)).toBe(5);
    const unknownTicket = await bothAnswersAt(`/projects/${project.id}/tickets/${project.id}`, cookie);
    expect(unknownTicket.hot.status).toBe(404);
    expect(unknownTicket.hot).toEqual(unknownTicket.regular);
  });

  it("keeps a ticket's details per viewer until something they show changes, and shows every change on the next view", async () => {
    const { member, project, c: memberClient } = await boardWithMember();
    const ticket = await Ticket.findOne({ where: { projectId: project.id, number: 3 }, rejectOnEmpty: true });
    const details = `/projects/${project.id}/tickets/${ticket.id}`;
    const manager = await createUser(t, { role: 'MANAGER', name: 'Mia Manager' });
    const other = await createUser(t, { name: 'Ben Other' });
    await t.get(MembershipsService).add(project, other.id);
    const viewers = {
      reporter: await cookieOf(memberClient),
      // The same person in a second session: the forms carry that session's CSRF token.
      reporterElsewhere: await cookieOf(await signIn(t.http, member.email)),
      manager: await cookieOf(await signIn(t.http, manager.email)),
      other: await cookieOf(await signIn(t.http, other.email)),
    };
    /** Each viewer's view, twice (the second from what this process keeps), against the regular pipeline's. */
    const expectEveryViewCurrent = async (shows: string) => {
      for (const [viewer, cookie] of Object.entries(viewers)) {
        for (const view of ['first', 'again']) {
          const { hot, regular } = await bothAnswersAt(details, cookie);
          expect({ viewer, view, status: hot.status, shows: hot.body.includes(shows) }).toEqual({
            viewer,
            view,
            status: 200,
            shows: true,
          });
          expect(hot).toEqual(regular);
        }
        // A view also touches the session once a minute, and one at a new minute renders again
        // (reading the comments): of two views in a row, one does neither.
        const counts = [await statementsOf(details, cookie), await statementsOf(details, cookie)];
        expect(Math.min(...counts)).toBe(1);
      }
    };
    const tokens = Object.values(viewers).map(async (cookie) => {
      const { hot } = await bothAnswersAt(details, cookie);
      return /name="_csrf" value="([^"]+)"/.exec(hot.body)![1];
    });
    expect(new Set(await Promise.all(tokens)).size).toBe(4);
    const deleteLinks = async (cookie: string) => (await ask(details, cookie)).text.includes('id="delete-ticket"');
    expect(await deleteLinks(viewers.manager)).toBe(true);
    expect(await deleteLinks(viewers.other)).toBe(false);

    await expectEveryViewCurrent(ticket.title);
    const tickets = t.get(TicketsService);
    const comments = t.get(CommentsService);
    const changes: [string, () => Promise<unknown>, string][] = [
      ['the title', () => Ticket.update({ title: 'Renamed ticket' }, { where: { id: ticket.id } }), 'Renamed ticket'],
      [
        'the status, with its history entry',
        async () =>
          tickets.update(
            project,
            ticket.id,
            { status: 'REVIEW', version: (await Ticket.findByPk(ticket.id))!.version },
            member,
          ),
        'changed the status',
      ],
      ['a comment', () => comments.add(project, ticket.id, other, 'First words'), 'First words'],
      [
        "the comment's edit",
        async () => {
          const [comment] = await Comment.findAll({ where: { ticketId: ticket.id } });
          return comments.edit(project, ticket.id, comment.id, other, 'Second thoughts');
        },
        'Second thoughts',
      ],
      [
        "its author's new name",
        () => User.update({ name: 'Benedict Other' }, { where: { id: other.id } }),
        'Benedict Other',
      ],
      [
        "the reporter's new name",
        () => User.update({ name: 'Ana Renamed' }, { where: { id: member.id } }),
        'Ana Renamed',
      ],
      [
        "the project's new name",
        () => Project.update({ name: 'Renamed project' }, { where: { id: project.id } }),
        'Renamed project',
      ],
      [
        'a new member in the assignee menu',
        async () => t.get(MembershipsService).add(project, (await createUser(t, { name: 'Nia Newcomer' })).id),
        'Nia Newcomer',
      ],
      [
        "the comment's deletion",
        async () => {
          const [comment] = await Comment.findAll({ where: { ticketId: ticket.id } });
          return comments.delete(project, ticket.id, comment.id, manager);
        },
        'deleted a comment',
      ],
    ];
    for (const [change, make, shows] of changes) {
      await make();
      await expectEveryViewCurrent(shows).catch((error: Error) => {
        throw new Error(`after ${change}: ${error.message}`);
      });
    }

    // It is a kept copy indeed: with the edit's trigger (migration 0021) switched off, the views keep the old text.
    if (usesPostgres()) {
      const [comment] = await comments
        .add(project, ticket.id, other, 'Kept words')
        .then(() => Comment.findAll({ where: { ticketId: ticket.id } }));
      await bothAnswersAt(details, viewers.other);
      await t.sequelize.query('ALTER TABLE comments DISABLE TRIGGER comments_edited_on_board');
      try {
        await comments.edit(project, ticket.id, comment.id, other, 'Unseen words');
      } finally {
        await t.sequelize.query('ALTER TABLE comments ENABLE TRIGGER comments_edited_on_board');
      }
      const { hot, regular } = await bothAnswersAt(details, viewers.other);
      expect(hot.body).toContain('Kept words');
      expect(regular.body).toContain('Unseen words');
    }
  });

  // PostgreSQL only: SQLite has no plans to keep.
  (usesPostgres() ? it : it.skip)('plans each prepared statement once, whatever its values', async () => {
    const [row] = await t
      .get(PreparedReads)
      .rows<{ mode: string }>(positional('plan-cache-mode', 'SELECT current_setting(:name) AS mode'), {
        name: 'plan_cache_mode',
      });
    expect(row.mode).toBe('force_generic_plan');
  });

  it('answers Unpoly requests and managers who are not members the same way', async () => {
    const { project } = await boardWithMember();
    const manager = await createUser(t, { role: 'MANAGER', name: 'Mia Manager' });
    const c = await signIn(t.http, manager.email);
    const cookie = await cookieOf(c);
    const { hot, regular } = await bothAnswers(project.id, cookie, UNPOLY_MODAL);
    expect(hot.status).toBe(200);
    expect(hot.body).toContain('data-action="members"');
    expect(hot).toEqual(regular);
    expect(await statementsOf(`/projects/${project.id}`, cookie, UNPOLY_MODAL)).toBe(1);
  });

  it('leaves every refusal to the regular pipeline: no cookie, a forged one, no access, a malformed or deleted project', async () => {
    const { project, cookie } = await boardWithMember();
    const stranger = await createProject([]);
    const forged = cookie.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
    const deleted = await createProject([]);
    await t.get(ProjectsService).remove(deleted);

    for (const [projectId, sessionCookie, expected] of [
      [project.id, undefined, 303],
      [project.id, forged, 303],
      [stranger.id, cookie, 404],
      [deleted.id, cookie, 404],
      [`${project.id.slice(0, 35)}x`, cookie, 404],
    ] as const) {
      const { hot, regular } = await bothAnswers(projectId, sessionCookie);
      expect({ projectId, status: hot.status }).toEqual({ projectId, status: expected });
      expect(hot).toEqual(regular);
    }
  });

  it('refuses on the next request a removed member, a deactivated account and a session ended elsewhere', async () => {
    const removed = await boardWithMember();
    await t.get(MembershipsService).remove(removed.project, removed.member.id);
    const afterRemoval = await bothAnswers(removed.project.id, removed.cookie);
    expect(afterRemoval.hot.status).toBe(404);
    expect(afterRemoval.hot).toEqual(afterRemoval.regular);

    const deactivated = await boardWithMember();
    await t.get(UsersService).deactivate(deactivated.member.id);
    const hotAfterDeactivation = await ask(`/projects/${deactivated.project.id}`, deactivated.cookie);
    expect(hotAfterDeactivation.status).toBe(303);
    expect(hotAfterDeactivation.headers.location).toMatch(/^\/login/);

    const ended = await boardWithMember();
    // A session of this person that stays valid, then the generation raised as a password change does.
    await t.get(AccountsService).endSessions(ended.member.id);
    const hotAfterEnd = await ask(`/projects/${ended.project.id}`, ended.cookie);
    expect(hotAfterEnd.status).toBe(303);
    expect(hotAfterEnd.headers.location).toMatch(/^\/login/);
  });

  it('refuses a session past its absolute lifetime or idle expiry, like the regular pipeline', async () => {
    const old = await boardWithMember();
    const sid = decodeURIComponent(old.cookie.split('=')[1]).slice(2).split('.')[0];
    const row = await Session.findByPk(sid, { rejectOnEmpty: true });
    const data = JSON.parse(row.data ?? '{}') as { startedAt: number };
    await row.update({
      data: JSON.stringify({ ...data, startedAt: Date.now() - (t.config.sessionAbsoluteHours + 1) * 3_600_000 }),
    });
    const tooOld = await ask(`/projects/${old.project.id}`, old.cookie);
    expect(tooOld.status).toBe(303);
    expect(tooOld.headers.location).toMatch(/^\/login/);

    const idle = await boardWithMember();
    await Session.update({ expires: new Date(Date.now() - 1000) }, { where: { userId: idle.member.id } });
    const { hot, regular } = await bothAnswers(idle.project.id, idle.cookie);
    expect(hot.status).toBe(303);
    expect(hot).toEqual(regular);
  });

  it('leaves a page with a queued message to the regular pipeline, which shows it once', async () => {
    const { project, c, cookie } = await boardWithMember();
    await c.page(`/projects/${project.id}`);
    const created = await submitForm(c, 'post', `/projects/${project.id}/tickets`, { title: 'Plain form' }, {});
    expect(created.status).toBe(303);
    const withMessage = await ask(`/projects/${project.id}`, cookie);
    expect(withMessage.status).toBe(200);
    expect(withMessage.text).toMatch(/Ticket #31 added\./);
    const { hot, regular } = await bothAnswers(project.id, cookie);
    expect(hot.body).not.toMatch(/Ticket #31 added\./);
    expect(hot).toEqual(regular);
  });
});
