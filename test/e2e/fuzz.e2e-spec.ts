import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { PasswordReset } from '../../src/accounts/password-reset.model';
import { Session } from '../../src/accounts/session.model';
import { sessionHandle } from '../../src/accounts/session-view';
import { User } from '../../src/accounts/user.model';
import { Comment } from '../../src/comments/comment.model';
import { Invitation } from '../../src/invitations/invitation.model';
import { Notification } from '../../src/notifications/notification.model';
import { NotificationPreference } from '../../src/notifications/notification-preference.model';
import { generateToken, hashToken } from '../../src/invitations/invitation-token';
import { ProjectMember } from '../../src/projects/project-member.model';
import { Project } from '../../src/projects/project.model';
import { Ticket } from '../../src/tickets/ticket.model';
import { createUser, TEST_PASSWORD, testPasswordHash, uniqueEmail } from '../helpers/factories';
import { HOSTILE_STRINGS, sample, seededRandom, WRONG_TYPES } from '../helpers/hostile-input';
import { Client, client, signIn } from '../helpers/http';
import { fillPath, listRoutes } from '../helpers/routes';
import { startTestApp, TestApp } from '../helpers/test-app';

/** Strings per field from the corpus (every field also gets every wrong-typed value). */
const STRINGS_PER_FIELD = 8;
const SEED = 20240607;

type Method = 'get' | 'post' | 'patch' | 'delete';

/** One form of the app: who sends it where, a valid submission, and the rows it may write. */
interface FormCase {
  name: string;
  method: Method;
  url(): string;
  as(): Promise<Client>;
  valid(): Promise<Record<string, unknown>> | Record<string, unknown>;
  fields: string[];
  /** The rows this form writes; must be unchanged after a refused submission. */
  snapshot(): Promise<unknown>;
  /** Puts fixtures back after a submission that succeeded (a used invitation, a deleted row). */
  reset?(): Promise<void>;
}

/** A refusal names its reason: a message beside a field, an alert, or the error page's message. */
function hasMessage(html: string): boolean {
  return /(data-error-for="[^"]*">\s*[^<\s]|role="alert"[^>]*>\s*[^<\s]|id="error-message">\s*[^<\s]|class="text-danger[^"]*">\s*[^<\s])/.test(
    html,
  );
}

describe('fuzz: hostile input through every form', () => {
  let t: TestApp;
  const random = seededRandom(SEED);
  let manager: User;
  let member: User;
  let target: User;
  let project: Project;
  let spare: Project;
  let ticket: Ticket;
  let invitation: Invitation;
  let joinToken: string;
  let resetToken: string;
  let reset: PasswordReset;
  const clients = {} as Record<'manager' | 'member' | 'profile', Client>;
  let anonymous: Client;
  let profileUser: User;
  /** A second session of profileUser, for the form that signs one out. */
  let spareSession: string;

  async function newSpareSession(): Promise<void> {
    spareSession = randomBytes(24).toString('base64url');
    await Session.create({
      sid: spareSession,
      userId: profileUser.id,
      expires: new Date(Date.now() + 3_600_000),
      data: '{}',
    });
  }

  async function newTicket(): Promise<Ticket> {
    await project.increment('ticketSeq');
    await project.reload();
    return Ticket.create({
      projectId: project.id,
      number: project.ticketSeq,
      reporterId: member.id,
      title: 'Fuzz ticket',
      description: 'Some *text*',
    });
  }

  /** The member's comment on the current ticket (made anew after the ticket or the comment was deleted). */
  let comment: Comment | null = null;
  async function currentComment(): Promise<Comment> {
    if (!comment || comment.ticketId !== ticket.id || !(await Comment.findByPk(comment.id)))
      comment = await Comment.create({ ticketId: ticket.id, authorId: member.id, body: 'A *fuzz* comment' });
    return comment;
  }

  async function newInvitation(): Promise<void> {
    joinToken = generateToken();
    invitation = await Invitation.create({
      tokenHash: hashToken(joinToken),
      email: uniqueEmail('fuzz-invitee'),
      senderId: manager.id,
      projectId: project.id,
      expiresAt: new Date(Date.now() + 3_600_000),
    });
  }

  async function newPasswordReset(): Promise<void> {
    resetToken = generateToken();
    reset = await PasswordReset.create({
      tokenHash: hashToken(resetToken),
      userId: profileUser.id,
      expiresAt: new Date(Date.now() + 3_600_000),
      tokenIssuedAt: new Date(),
    });
  }

  /** An unread notification of the member, about the current ticket. */
  let notification: Notification;
  async function newNotification(): Promise<void> {
    notification = await Notification.create({
      recipientId: member.id,
      projectId: project.id,
      ticketId: ticket.id,
      actorId: manager.id,
      kind: 'commented',
      detail: 'A *fuzz* notification',
    });
  }
  const unreadOfMember = () => Notification.count({ where: { recipientId: member.id, readAt: null } });

  async function anonymousOn(path: string): Promise<Client> {
    const c = client(t.http);
    await c.page(path);
    return c;
  }

  beforeAll(async () => {
    t = await startTestApp();
    manager = await createUser(t, { role: 'MANAGER' });
    member = await createUser(t);
    target = await createUser(t);
    profileUser = await createUser(t);
    project = await Project.create({ name: `Fuzz ${randomUUID().slice(0, 8)}`, createdBy: manager.id });
    await ProjectMember.bulkCreate(
      [manager, member, target].map((user) => ({ projectId: project.id, userId: user.id })),
    );
    spare = await Project.create({ name: `Fuzz spare ${randomUUID().slice(0, 8)}`, createdBy: manager.id });
    ticket = await newTicket();
    await newNotification();
    await newInvitation();
    await newPasswordReset();
    clients.manager = await signIn(t.http, manager.email);
    clients.member = await signIn(t.http, member.email);
    clients.profile = await signIn(t.http, profileUser.email);
    await newSpareSession();
    anonymous = await anonymousOn('/login');
  }, 60_000);
  // The invitations made here would otherwise wait for the mail sweep of later test runs.
  afterAll(async () => {
    await Invitation.destroy({ where: { senderId: manager.id } });
    await t.close();
  });

  const ticketRow = async () => (await Ticket.findByPk(ticket.id))?.get({ plain: true }) ?? null;
  const ticketCount = () => Ticket.count({ where: { projectId: project.id } });
  const invitationRow = async () => (await Invitation.findByPk(invitation.id))?.get({ plain: true }) ?? null;

  const forms = (): FormCase[] => [
    {
      name: 'sign in',
      method: 'post',
      url: () => '/login',
      as: async () => anonymous,
      valid: () => ({ email: member.email, password: TEST_PASSWORD, next: '/' }),
      fields: ['email', 'password', 'next'],
      snapshot: async () => [await User.count(), (await User.findByPk(member.id))!.lastLoginAt],
      reset: async () => {
        anonymous = await anonymousOn('/login');
      },
    },
    {
      name: 'join',
      method: 'post',
      url: () => `/join/${joinToken}`,
      as: async () => anonymous,
      valid: () => ({
        name: 'Fuzz joiner',
        email: '',
        password: 'a long enough password',
        confirmPassword: 'a long enough password',
      }),
      fields: ['name', 'email', 'password', 'confirmPassword'],
      snapshot: async () => [await User.count(), await invitationRow()],
      reset: async () => {
        await newInvitation();
        anonymous = await anonymousOn('/login');
      },
    },
    {
      name: 'forgot password',
      method: 'post',
      url: () => '/forgot-password',
      as: async () => anonymous,
      valid: () => ({ email: uniqueEmail('fuzz-forgot') }),
      fields: ['email'],
      snapshot: () => PasswordReset.count(),
    },
    {
      name: 'reset password',
      method: 'post',
      url: () => `/reset-password/${resetToken}`,
      as: async () => anonymous,
      valid: () => ({ password: 'a long enough password', confirmPassword: 'a long enough password' }),
      fields: ['password', 'confirmPassword'],
      snapshot: async () => [
        (await User.findByPk(profileUser.id))!.passwordHash,
        (await PasswordReset.findByPk(reset.id))?.get({ plain: true }) ?? null,
      ],
      reset: async () => {
        await User.update({ passwordHash: await testPasswordHash(t) }, { where: { id: profileUser.id } });
        await newPasswordReset();
        anonymous = await anonymousOn('/login');
        clients.profile = await signIn(t.http, profileUser.email);
      },
    },
    {
      name: 'invite',
      method: 'post',
      url: () => '/invitations',
      as: async () => clients.manager,
      valid: () => ({ email: uniqueEmail('fuzz'), projectId: '', role: 'MEMBER' }),
      fields: ['email', 'projectId', 'role'],
      snapshot: async () => [await Invitation.count(), await User.count(), await ProjectMember.count()],
    },
    ...(['resend', 'link'] as const).map((action): FormCase => ({
      name: `invitation ${action}`,
      method: 'post',
      url: () => `/invitations/${invitation.id}/${action}`,
      as: async () => clients.manager,
      valid: () => ({}),
      fields: ['_method', 'unexpected'],
      snapshot: invitationRow,
      reset: newInvitation,
    })),
    {
      name: 'invitation revoke',
      method: 'delete',
      url: () => `/invitations/${invitation.id}`,
      as: async () => clients.manager,
      valid: () => ({}),
      fields: ['unexpected'],
      snapshot: invitationRow,
      reset: newInvitation,
    },
    {
      name: 'ticket create',
      method: 'post',
      url: () => `/projects/${project.id}/tickets`,
      as: async () => clients.member,
      valid: () => ({
        title: 'A fuzzed ticket',
        description: 'Text',
        priority: 'HIGH',
        status: 'OPEN',
        assigneeId: member.id,
      }),
      fields: ['title', 'description', 'priority', 'status', 'assigneeId'],
      snapshot: async () => [await ticketCount(), (await Project.findByPk(project.id))!.ticketSeq],
    },
    {
      name: 'ticket edit and status change',
      method: 'patch',
      url: () => `/projects/${project.id}/tickets/${ticket.id}`,
      as: async () => clients.member,
      valid: async () => {
        const current = (await Ticket.findByPk(ticket.id))!;
        return {
          title: 'Edited',
          description: 'Edited text',
          priority: 'LOW',
          status: 'REVIEW',
          assigneeId: member.id,
          version: current.version,
          source: 'edit',
        };
      },
      fields: [
        'title',
        'description',
        'priority',
        'status',
        'assigneeId',
        'version',
        'baseTitle',
        'baseDescription',
        'basePriority',
        'baseStatus',
        'baseAssigneeId',
        'source',
      ],
      snapshot: ticketRow,
    },
    {
      name: 'ticket assignee in the details',
      method: 'patch',
      url: () => `/projects/${project.id}/tickets/${ticket.id}`,
      as: async () => clients.member,
      valid: async () => {
        const current = (await Ticket.findByPk(ticket.id))!;
        return {
          assigneeId: member.id,
          baseAssigneeId: current.assigneeId ?? '',
          version: current.version,
          source: 'details',
        };
      },
      fields: ['assigneeId', 'baseAssigneeId', 'version', 'source'],
      snapshot: ticketRow,
    },
    {
      name: 'ticket delete',
      method: 'delete',
      url: () => `/projects/${project.id}/tickets/${ticket.id}`,
      as: async () => clients.member,
      valid: () => ({}),
      fields: ['unexpected'],
      snapshot: ticketRow,
      reset: async () => {
        ticket = await newTicket();
      },
    },
    {
      name: 'ticket preview',
      method: 'post',
      url: () => `/projects/${project.id}/tickets/preview`,
      as: async () => clients.member,
      valid: () => ({ description: '# Title', previewId: 'comment-preview' }),
      fields: ['description', 'previewId'],
      snapshot: ticketCount,
    },
    {
      name: 'comment add',
      method: 'post',
      url: () => `/projects/${project.id}/tickets/${ticket.id}/comments`,
      as: async () => clients.member,
      valid: () => ({ body: 'A fuzzed comment' }),
      fields: ['body'],
      snapshot: async () => [
        await Comment.count({ where: { ticketId: ticket.id } }),
        (await Ticket.findByPk(ticket.id))?.commentCount,
      ],
    },
    {
      name: 'comment edit',
      method: 'patch',
      url: () => `/projects/${project.id}/tickets/${ticket.id}/comments/${comment!.id}`,
      as: async () => clients.member,
      valid: async () => {
        await currentComment();
        return { body: 'An edited comment' };
      },
      fields: ['body'],
      snapshot: async () => (await Comment.findByPk(comment!.id))?.get({ plain: true }) ?? null,
    },
    {
      name: 'comment delete',
      method: 'delete',
      url: () => `/projects/${project.id}/tickets/${ticket.id}/comments/${comment!.id}`,
      as: async () => clients.member,
      valid: async () => {
        await currentComment();
        return {};
      },
      fields: ['unexpected'],
      snapshot: () => Comment.count({ where: { ticketId: ticket.id } }),
    },
    {
      name: 'timeline page',
      method: 'get',
      url: () => `/projects/${project.id}/tickets/${ticket.id}/comments`,
      as: async () => clients.member,
      valid: () => ({ before: `${Date.now()}-1-${randomUUID()}` }),
      fields: ['before'],
      snapshot: () => Comment.count({ where: { ticketId: ticket.id } }),
    },
    {
      name: 'ticket list filters',
      method: 'get',
      url: () => `/projects/${project.id}`,
      as: async () => clients.member,
      valid: () => ({
        view: 'list',
        assignee: 'me',
        status: 'OPEN',
        priority: 'HIGH',
        q: 'fuzz',
        sort: 'oldest',
        page: '1',
      }),
      fields: ['view', 'assignee', 'status', 'priority', 'q', 'sort', 'page'],
      snapshot: ticketCount,
    },
    {
      name: 'board filtered by assignee',
      method: 'get',
      url: () => `/projects/${project.id}`,
      as: async () => clients.member,
      valid: () => ({ assignee: member.id }),
      fields: ['assignee'],
      snapshot: ticketCount,
    },
    {
      name: 'board column "load more"',
      method: 'get',
      url: () => `/projects/${project.id}/columns/OPEN`,
      as: async () => clients.member,
      valid: () => ({ before: '5', assignee: 'none' }),
      fields: ['before', 'assignee'],
      snapshot: ticketCount,
    },
    {
      name: 'profile (name and password)',
      method: 'patch',
      url: () => '/profile',
      as: async () => clients.profile,
      valid: () => ({
        name: 'Fuzz profile',
        currentPassword: TEST_PASSWORD,
        newPassword: 'another long password',
        confirmPassword: 'another long password',
      }),
      fields: ['name', 'currentPassword', 'newPassword', 'confirmPassword'],
      snapshot: async () => {
        const row = (await User.findByPk(profileUser.id))!;
        return [row.name, row.passwordHash];
      },
      reset: async () => {
        await User.update({ passwordHash: await testPasswordHash(t) }, { where: { id: profileUser.id } });
      },
    },
    {
      name: 'sign out a session',
      method: 'delete',
      url: () => `/profile/sessions/${sessionHandle(spareSession)}`,
      // A password change of the profile form ends the spare session too.
      as: async () => {
        if (!(await Session.findByPk(spareSession))) await newSpareSession();
        return clients.profile;
      },
      valid: () => ({}),
      fields: ['unexpected'],
      snapshot: () => Session.count({ where: { userId: profileUser.id } }),
      reset: newSpareSession,
    },
    {
      name: 'sign out everywhere else',
      method: 'delete',
      url: () => '/profile/sessions',
      as: async () => clients.profile,
      valid: () => ({}),
      fields: ['unexpected'],
      snapshot: () => Session.count({ where: { userId: profileUser.id } }),
      reset: newSpareSession,
    },
    {
      name: 'project create',
      method: 'post',
      url: () => '/projects',
      as: async () => clients.manager,
      valid: () => ({ name: 'A fuzzed project', description: 'About it' }),
      fields: ['name', 'description'],
      snapshot: () => Project.count(),
    },
    {
      name: 'project edit',
      method: 'patch',
      url: () => `/projects/${spare.id}`,
      as: async () => clients.manager,
      valid: () => ({ name: 'Renamed project', description: 'New text' }),
      fields: ['name', 'description'],
      snapshot: async () => (await Project.findByPk(spare.id))?.get({ plain: true }) ?? null,
    },
    {
      name: 'project delete',
      method: 'delete',
      url: () => `/projects/${spare.id}`,
      as: async () => clients.manager,
      valid: () => ({}),
      fields: ['unexpected'],
      snapshot: async () => (await Project.findByPk(spare.id))?.get({ plain: true }) ?? null,
      reset: async () => {
        spare = await Project.create({ name: `Fuzz spare ${randomUUID().slice(0, 8)}`, createdBy: manager.id });
      },
    },
    {
      name: 'project member add',
      method: 'post',
      url: () => `/projects/${project.id}/members`,
      as: async () => clients.manager,
      valid: () => ({ userId: profileUser.id }),
      fields: ['userId'],
      snapshot: () => ProjectMember.count({ where: { projectId: project.id } }),
      reset: async () => {
        await ProjectMember.destroy({ where: { projectId: project.id, userId: profileUser.id } });
      },
    },
    {
      name: 'project member remove',
      method: 'delete',
      url: () => `/projects/${project.id}/members/${target.id}`,
      as: async () => clients.manager,
      valid: () => ({}),
      fields: ['unexpected'],
      snapshot: () => ProjectMember.count({ where: { projectId: project.id } }),
      reset: async () => {
        await ProjectMember.findOrCreate({ where: { projectId: project.id, userId: target.id } });
      },
    },
    {
      name: 'user role',
      method: 'patch',
      url: () => `/users/${target.id}/role`,
      as: async () => clients.manager,
      valid: () => ({ role: 'MEMBER' }),
      fields: ['role'],
      snapshot: async () => (await User.findByPk(target.id))!.role,
    },
    ...(['deactivate', 'reactivate'] as const).map((action): FormCase => ({
      name: `user ${action}`,
      method: 'post',
      url: () => `/users/${target.id}/${action}`,
      as: async () => clients.manager,
      valid: () => ({}),
      fields: ['_method', 'unexpected'],
      snapshot: async () => (await User.findByPk(target.id))!.isActive,
    })),
    {
      name: 'user reset link',
      method: 'post',
      url: () => `/users/${target.id}/reset-link`,
      as: async () => clients.manager,
      valid: () => ({}),
      fields: ['_method', 'unexpected'],
      snapshot: () => PasswordReset.count({ where: { userId: target.id } }),
    },
    {
      name: 'inbox page',
      method: 'get',
      url: () => '/notifications',
      as: async () => clients.member,
      valid: () => ({}),
      fields: ['before'],
      snapshot: unreadOfMember,
    },
    {
      name: 'email preferences',
      method: 'post',
      url: () => '/notifications/preferences',
      as: async () => clients.member,
      valid: () => ({ mail: ['assigned', 'status'] }),
      fields: ['mail'],
      snapshot: () => NotificationPreference.findByPk(member.id, { raw: true }),
    },
    {
      name: 'mark all notifications read',
      method: 'post',
      url: () => '/notifications/read',
      as: async () => clients.member,
      valid: () => ({}),
      fields: ['upTo'],
      snapshot: unreadOfMember,
      reset: newNotification,
    },
    {
      name: 'mark a notification read',
      method: 'post',
      url: () => `/notifications/${notification.id}/read`,
      as: async () => clients.member,
      valid: () => ({}),
      fields: ['_unknown'],
      snapshot: unreadOfMember,
      reset: newNotification,
    },
  ];

  /**
   * Sends one submission as a crafted form would carry it (the app accepts only form bodies):
   * a list as a repeated name, an object as bracketed names, other values as their text.
   */
  async function submit(form: FormCase, c: Client, body: Record<string, unknown>): Promise<request.Response> {
    const fields = new URLSearchParams();
    for (const [key, value] of Object.entries(body)) {
      if (Array.isArray(value)) value.forEach((item) => fields.append(key, String(item)));
      else if (value !== null && typeof value === 'object')
        Object.entries(value).forEach(([k, v]) => fields.append(`${key}[${k}]`, String(v)));
      else fields.append(key, String(value));
    }
    if (form.method === 'get') return c.agent.get(`${form.url()}?${fields.toString()}`);
    return c.agent[form.method](form.url()).set('X-CSRF-Token', c.csrf).type('form').send(fields.toString());
  }

  it('has a corpus of at least 200 hostile strings', () => {
    expect(HOSTILE_STRINGS.length).toBeGreaterThanOrEqual(200);
  });

  it('answers hostile input in every field of every form with a success or a 4xx and a message, never a 500, writing nothing when it refuses', async () => {
    const failures: string[] = [];
    let requests = 0;
    for (const form of forms()) {
      for (const field of form.fields) {
        const values: unknown[] = [...sample(random, STRINGS_PER_FIELD), ...WRONG_TYPES];
        for (const value of values) {
          const c = await form.as();
          const body = { ...(await form.valid()), [field]: value };
          const before = await form.snapshot();
          const response = await submit(form, c, body);
          requests += 1;
          const label = `${form.name} ${field}=${JSON.stringify(value)?.slice(0, 60)} → ${response.status}`;
          // Node itself refuses a request line over 16 KB (431) before the app sees it; no form sends one.
          if (response.status === 431 && form.method === 'get') continue;
          if (response.status >= 500) failures.push(label);
          else if (response.status >= 400) {
            if (!hasMessage(response.text)) failures.push(`${label} without a message`);
            if (JSON.stringify(await form.snapshot()) !== JSON.stringify(before))
              failures.push(`${label} but wrote rows`);
          } else if (form.reset) {
            await form.reset();
          }
        }
      }
    }
    // And each form sent with no body at all (no content type), as a script might.
    for (const form of forms()) {
      if (form.method === 'get') continue;
      const c = await form.as();
      const before = await form.snapshot();
      const response = await c.agent[form.method](form.url()).set('X-CSRF-Token', c.csrf);
      const label = `${form.name} without a body → ${response.status}`;
      if (response.status >= 500) failures.push(label);
      else if (response.status >= 400 && JSON.stringify(await form.snapshot()) !== JSON.stringify(before))
        failures.push(`${label} but wrote rows`);
      else if (response.status < 400 && form.reset) await form.reset();
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(500);
  }, 600_000);

  it('answers hostile avatar uploads with a success or a 422 and a message, never a 500', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const files: [string, Buffer][] = [
      ['empty.png', Buffer.alloc(0)],
      ['truncated.png', png],
      ['script.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')],
      ['text.png', Buffer.from(HOSTILE_STRINGS.join('\n'))],
      ['nul\u0000.png', Buffer.from([0, 0, 0, 0])],
      ['../../../etc/passwd', Buffer.from('root:x:0:0')],
      [`${'a'.repeat(300)}.png`, Buffer.from('GIF89a')],
      ['random.bin', Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256)))],
    ];
    const c = clients.profile;
    const failures: string[] = [];
    const avatarOf = async () => (await User.findByPk(profileUser.id))!.avatar;
    for (const [name, content] of files) {
      const before = await avatarOf();
      const response = await c.agent
        .post('/profile/avatar')
        .set('X-CSRF-Token', c.csrf)
        .attach('avatar', content, name);
      if (response.status !== 422 || !hasMessage(response.text)) failures.push(`${name} → ${response.status}`);
      if ((await avatarOf()) !== before) failures.push(`${name} changed the avatar`);
    }
    for (const field of ['avatar', 'other']) {
      const response = await c.agent
        .post('/profile/avatar')
        .set('X-CSRF-Token', c.csrf)
        .field(field, HOSTILE_STRINGS[0]);
      if (response.status !== 422 || !hasMessage(response.text))
        failures.push(`text field ${field} → ${response.status}`);
    }
    const notMultipart = await c.agent
      .post('/profile/avatar')
      .set('X-CSRF-Token', c.csrf)
      .type('form')
      .send({ avatar: HOSTILE_STRINGS[1] });
    if (notMultipart.status !== 422) failures.push(`form body → ${notMultipart.status}`);
    expect(failures).toEqual([]);
  });

  it('answers hostile values in the path of every route with a 4xx or a page, never a 500', async () => {
    const params = {
      projectId: project.id,
      ticketId: ticket.id,
      userId: target.id,
      id: invitation.id,
      token: joinToken,
      resetToken,
      status: 'OPEN',
      file: 'none.webp',
      notificationId: notification.id,
    };
    const failures: string[] = [];
    const hostile = sample(seededRandom(SEED + 1), 10).map((value) => value.slice(0, 500));
    for (const route of listRoutes(t)) {
      if (route.method !== 'GET' || !route.path.includes(':')) continue;
      for (const name of route.path.match(/:(\w+)/g)!.map((p) => p.slice(1))) {
        for (const value of hostile) {
          const path = fillPath(route.path, { ...params, [name]: encodeURIComponent(value) });
          const response = await clients.manager.agent.get(path);
          if (response.status >= 500)
            failures.push(`GET ${route.path} ${name}=${JSON.stringify(value).slice(0, 60)} → ${response.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
