import { randomBytes, randomUUID } from 'node:crypto';
import { AvatarStorage } from '../../src/accounts/avatar-storage';
import { PasswordReset } from '../../src/accounts/password-reset.model';
import { Session } from '../../src/accounts/session.model';
import { sessionHandle } from '../../src/accounts/session-view';
import type { User } from '../../src/accounts/user.model';
import { Comment } from '../../src/comments/comment.model';
import { Invitation } from '../../src/invitations/invitation.model';
import { Notification } from '../../src/notifications/notification.model';
import { Ticket } from '../../src/tickets/ticket.model';
import { generateToken, hashToken } from '../../src/invitations/invitation-token';
import { createUser, uniqueEmail } from '../helpers/factories';
import { Client, client, signIn } from '../helpers/http';
import { image } from '../helpers/images';
import { createProject, createTicket } from '../helpers/project-factories';
import { fillPath, listHandlers, listRoutes, RouteInfo } from '../helpers/routes';
import { startTestApp, TestApp } from '../helpers/test-app';

type Role = 'anonymous' | 'non-member' | 'member' | 'manager';

/**
 * Who may use each route, written down from README's route table (not read from the code
 * under test). `project` means members of the project and managers; `project-manager` means
 * managers only, on a project's routes. Every route of the router must be listed here.
 */
type Access = 'anyone' | 'signed-in' | 'manager' | 'project' | 'project-manager';

const ACCESS: Record<string, Access> = {
  'GET /login': 'anyone',
  'POST /login': 'anyone',
  'GET /join/:token': 'anyone',
  'POST /join/:token': 'anyone',
  'GET /forgot-password': 'anyone',
  'POST /forgot-password': 'anyone',
  'GET /reset-password/:resetToken': 'anyone',
  'POST /reset-password/:resetToken': 'anyone',
  'GET /unsubscribe/:token': 'anyone',
  'POST /unsubscribe/:token': 'anyone',
  'GET /healthz': 'anyone',
  'GET /readyz': 'anyone',

  'POST /logout': 'signed-in',
  'GET /': 'signed-in',
  'GET /profile': 'signed-in',
  'PATCH /profile': 'signed-in',
  'POST /profile/avatar': 'signed-in',
  'DELETE /profile/avatar': 'signed-in',
  'DELETE /profile/sessions': 'signed-in',
  'DELETE /profile/sessions/:sessionId': 'signed-in',
  'GET /avatars/:file': 'signed-in',
  'GET /notifications': 'signed-in',
  'GET /notifications/preferences': 'signed-in',
  'POST /notifications/preferences': 'signed-in',
  'POST /notifications/read': 'signed-in',
  'POST /notifications/:notificationId/read': 'signed-in',
  'GET /live': 'signed-in',

  'GET /invitations': 'manager',
  'GET /invitations/new': 'manager',
  'POST /invitations': 'manager',
  'GET /invitations/:id/resend': 'manager',
  'POST /invitations/:id/resend': 'manager',
  'GET /invitations/:id/revoke': 'manager',
  'DELETE /invitations/:id': 'manager',
  'GET /invitations/:id/link': 'manager',
  'POST /invitations/:id/link': 'manager',
  'GET /users': 'manager',
  'GET /users/:userId/role': 'manager',
  'PATCH /users/:userId/role': 'manager',
  'GET /users/:userId/deactivate': 'manager',
  'POST /users/:userId/deactivate': 'manager',
  'GET /users/:userId/reactivate': 'manager',
  'POST /users/:userId/reactivate': 'manager',
  'GET /users/:userId/reset-link': 'manager',
  'POST /users/:userId/reset-link': 'manager',
  'GET /projects/new': 'manager',
  'POST /projects': 'manager',

  'GET /projects/:projectId/edit': 'project-manager',
  'PATCH /projects/:projectId': 'project-manager',
  'GET /projects/:projectId/delete': 'project-manager',
  'DELETE /projects/:projectId': 'project-manager',
  'GET /projects/:projectId/members': 'project-manager',
  'POST /projects/:projectId/members': 'project-manager',
  'GET /projects/:projectId/members/:userId/remove': 'project-manager',
  'DELETE /projects/:projectId/members/:userId': 'project-manager',

  'GET /projects/:projectId': 'project',
  'GET /projects/:projectId/live': 'project',
  'GET /projects/:projectId/columns/:status': 'project',
  'GET /projects/:projectId/assignees': 'project',
  'GET /projects/:projectId/tickets/new': 'project',
  'GET /projects/:projectId/tickets/mentionable': 'project',
  'POST /projects/:projectId/tickets': 'project',
  'POST /projects/:projectId/tickets/preview': 'project',
  'GET /projects/:projectId/tickets/:ticketId': 'project',
  'GET /projects/:projectId/tickets/:ticketId/edit': 'project',
  'GET /projects/:projectId/tickets/:ticketId/delete': 'project',
  'PATCH /projects/:projectId/tickets/:ticketId': 'project',
  'DELETE /projects/:projectId/tickets/:ticketId': 'project',
  'GET /projects/:projectId/tickets/:ticketId/comments': 'project',
  'POST /projects/:projectId/tickets/:ticketId/comments': 'project',
  'GET /projects/:projectId/tickets/:ticketId/comments/:commentId': 'project',
  'GET /projects/:projectId/tickets/:ticketId/comments/:commentId/edit': 'project',
  'GET /projects/:projectId/tickets/:ticketId/comments/:commentId/delete': 'project',
  'PATCH /projects/:projectId/tickets/:ticketId/comments/:commentId': 'project',
  'DELETE /projects/:projectId/tickets/:ticketId/comments/:commentId': 'project',
};

/** What a role should get: 'allowed' (any answer but a refusal or an error), a redirect to sign in, or 404. */
function expected(access: Access, role: Role): 'allowed' | 'sign-in' | 404 {
  if (access === 'anyone') return 'allowed';
  if (role === 'anonymous') return 'sign-in';
  if (access === 'signed-in' || role === 'manager') return 'allowed';
  if (access === 'project' && role === 'member') return 'allowed';
  return 404;
}

const key = (route: RouteInfo) => `${route.method} ${route.path}`;

function unique(routes: RouteInfo[]): RouteInfo[] {
  const seen = new Set<string>();
  return routes.filter((route) => !seen.has(key(route)) && seen.add(key(route)));
}

describe('authorization matrix over every route (anonymous, non-member, member, manager)', () => {
  let t: TestApp;
  let routes: RouteInfo[];
  const users = {} as Record<Exclude<Role, 'anonymous'>, User>;
  let avatarFile: string;

  /** A browser of the given role with a valid CSRF token, so that what answers is the authorization, not CSRF. */
  async function clientFor(role: Role): Promise<Client> {
    if (role !== 'anonymous') return signIn(t.http, users[role].email);
    const c = client(t.http);
    await c.page('/login');
    return c;
  }

  beforeAll(async () => {
    t = await startTestApp();
    routes = unique(listRoutes(t));
    users['non-member'] = await createUser(t);
    users.member = await createUser(t);
    users.manager = await createUser(t, { role: 'MANAGER' });
    avatarFile = await t.get(AvatarStorage).store(await image('png', 64, 64));
  }, 60_000);
  // The invitations made here would otherwise wait for the mail sweep of later test runs.
  afterAll(async () => {
    await Invitation.destroy({ where: { senderId: users.manager.id } });
    await t.close();
  });

  it('has an expected access for every route the router serves, and no stale entries', () => {
    const served = routes.map(key);
    expect(served.filter((route) => !(route in ACCESS))).toEqual([]);
    expect(Object.keys(ACCESS).filter((route) => !served.includes(route))).toEqual([]);
  });

  it('declares @ProjectAccess() on every route under a project, as strict as the table says', () => {
    const declared = new Map(listHandlers(t).map((handler) => [key(handler), handler.projectAccess]));
    const underProject = routes.filter((route) => /^\/projects\/:projectId(\/|$)/.test(route.path));
    expect(underProject.length).toBeGreaterThan(0);
    const wanted = { project: 'member', 'project-manager': 'manager' } as Record<Access, string | undefined>;
    const mismatches = underProject
      .map((route) => ({ route: key(route), declared: declared.get(key(route)), wanted: wanted[ACCESS[key(route)]] }))
      .filter(({ declared, wanted }) => declared === undefined || declared !== wanted);
    expect(mismatches).toEqual([]);
    // And nothing outside a project claims to be under one.
    const stray = [...declared].filter(([route, access]) => access && !underProject.some((r) => key(r) === route));
    expect(stray).toEqual([]);
  });

  it.each(['anonymous', 'non-member', 'member', 'manager'] as Role[])(
    'answers the assignee field and filters as their routes say for %s, assigning nobody when refusing',
    async (role) => {
      const failures: string[] = [];
      const c = await clientFor(role);
      const secret = `Matrix secret ${randomUUID()}`;
      const project = await createProject({ name: secret, members: [users.member] });
      const ticket = await createTicket(project, users.member, { title: `Matrix ticket ${randomUUID()}` });
      const assignee = users[role === 'anonymous' ? 'member' : role].id;
      const requests: [string, 'get' | 'post', string, Record<string, string>?][] = [
        ['board filtered to me', 'get', `/projects/${project.id}?assignee=me`],
        ['board filtered to a person', 'get', `/projects/${project.id}?assignee=${users.member.id}`],
        ['list filtered to unassigned', 'get', `/projects/${project.id}?view=list&assignee=none`],
        ['column filtered to me', 'get', `/projects/${project.id}/columns/OPEN?assignee=me`],
        [
          'create with an assignee',
          'post',
          `/projects/${project.id}/tickets`,
          { title: 'Assigned', assigneeId: assignee },
        ],
        [
          'assign in the details',
          'post',
          `/projects/${project.id}/tickets/${ticket.id}`,
          { _method: 'patch', source: 'details', version: '0', assigneeId: assignee },
        ],
      ];
      const want = expected('project', role);
      for (const [name, method, url, body] of requests) {
        const request = c.agent[method](url).set('X-CSRF-Token', c.csrf).set('Accept', 'text/html');
        const response = await (body ? request.type('form').send(body) : request);
        const label = `${role} ${name} → ${response.status}`;
        if (want === 'allowed' && ([401, 403, 404].includes(response.status) || response.status >= 500))
          failures.push(`${label}, expected access`);
        if (want === 'sign-in' && !String(response.headers.location ?? '').startsWith('/login'))
          failures.push(`${label}, expected a redirect to /login`);
        if (want === 404 && response.status !== 404) failures.push(`${label}, expected 404`);
        if (want !== 'allowed' && (response.text ?? '').includes(secret))
          failures.push(`${label} leaks data it refused`);
      }
      const stored = await Ticket.findByPk(ticket.id, { rejectOnEmpty: true });
      if (want !== 'allowed' && stored.assigneeId !== null) failures.push(`${role} assigned a ticket it may not see`);
      if (want !== 'allowed' && (await Ticket.count({ where: { projectId: project.id } })) !== 1)
        failures.push(`${role} created a ticket in a project it may not see`);
      expect(failures).toEqual([]);
    },
    60_000,
  );

  it.each(['anonymous', 'non-member', 'member', 'manager'] as Role[])(
    'answers every route as the table says for %s, leaking nothing when refusing',
    async (role) => {
      const failures: string[] = [];
      // Signing out ends the session: do it last.
      const ordered = [...routes].sort((a, b) => Number(key(a) === 'POST /logout') - Number(key(b) === 'POST /logout'));
      let c = await clientFor(role);
      for (const route of ordered) {
        // Fresh records for every request: some requests delete or change what they touch.
        const secret = `Matrix secret ${randomUUID()}`;
        const project = await createProject({
          name: secret,
          description: `${secret} description`,
          members: [users.member],
        });
        const ticket = await createTicket(project, users.member, { title: `Matrix ticket ${randomUUID()}` });
        // A comment of the role's own person, so that what answers is access to the project, not authorship.
        const comment = await Comment.create({
          ticketId: ticket.id,
          authorId: role === 'anonymous' ? users.member.id : users[role].id,
          body: `${secret} comment`,
        });
        const token = generateToken();
        const invitation = await Invitation.create({
          tokenHash: hashToken(token),
          email: uniqueEmail('matrix-invitee'),
          senderId: users.manager.id,
          projectId: project.id,
          expiresAt: new Date(Date.now() + 3_600_000),
        });
        const person = route.path.startsWith('/users/') ? (await createUser(t)).id : users.member.id;
        const resetToken = generateToken();
        if (route.path.includes(':resetToken'))
          await PasswordReset.create({
            tokenHash: hashToken(resetToken),
            userId: (await createUser(t)).id,
            expiresAt: new Date(Date.now() + 3_600_000),
            tokenIssuedAt: new Date(),
          });
        // Another session of the role's own person, for the route that signs one out.
        const otherSession = randomBytes(24).toString('base64url');
        if (role !== 'anonymous') {
          await Session.create({
            sid: otherSession,
            userId: users[role].id,
            expires: new Date(Date.now() + 3_600_000),
            data: '{}',
          });
        }
        // A notification of the role's own person, so that what answers is access, not ownership.
        const notification = await Notification.create({
          recipientId: role === 'anonymous' ? users.member.id : users[role].id,
          projectId: project.id,
          ticketId: ticket.id,
          actorId: users.member.id,
          kind: 'commented',
          detail: `${secret} notification`,
        });
        const url = fillPath(route.path, {
          projectId: project.id,
          ticketId: ticket.id,
          userId: person,
          id: invitation.id,
          token,
          resetToken,
          status: 'OPEN',
          file: avatarFile,
          sessionId: sessionHandle(otherSession),
          commentId: comment.id,
          notificationId: notification.id,
        });

        const response = await c.agent[route.method.toLowerCase() as 'get'](url)
          .set('X-CSRF-Token', c.csrf)
          .set('Accept', 'text/html');
        const want = expected(ACCESS[key(route)] ?? 'anyone', role);
        const label = `${role} ${key(route)} → ${response.status}`;
        const location = String(response.headers.location ?? '');
        if (want === 'allowed') {
          if ([401, 403, 404].includes(response.status) || response.status >= 500)
            failures.push(`${label}, expected access`);
          if (response.status === 303 && location.startsWith('/login') && key(route) !== 'POST /logout')
            failures.push(`${label}, sent to sign in`);
        } else if (want === 'sign-in') {
          if (response.status !== 303 || !location.startsWith('/login'))
            failures.push(`${label} (${location}), expected a redirect to /login`);
        } else if (response.status !== 404) {
          failures.push(`${label}, expected 404`);
        }
        // (The login redirect echoes the URL the visitor typed, id included; that reveals nothing.)
        const leaks = [secret, ticket.title, invitation.email, ...(want === 'sign-in' ? [] : [project.id])].some(
          (data) => (response.text ?? '').includes(data),
        );
        if (want !== 'allowed' && leaks) failures.push(`${label} leaks data it refused`);
        if (key(route) === 'POST /logout') c = await clientFor(role);
      }
      expect(failures).toEqual([]);
    },
    120_000,
  );
});
