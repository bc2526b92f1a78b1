import type { ParsedMail } from 'mailparser';
import { randomUUID } from 'node:crypto';
import type { User } from '../../src/accounts/user.model';
import { UsersService } from '../../src/accounts/users.service';
import { NotificationJobs } from '../../src/notifications/notification-jobs';
import { MAIL_CLAIM_MS, NotificationMailJob } from '../../src/notifications/notification-mail.job';
import { Notification } from '../../src/notifications/notification.model';
import { MembershipsService } from '../../src/projects/memberships.service';
import { ProjectMember } from '../../src/projects/project-member.model';
import type { Project } from '../../src/projects/project.model';
import type { Ticket } from '../../src/tickets/ticket.model';
import { TicketsService } from '../../src/tickets/tickets.service';
import { eventually } from '../helpers/eventually';
import { createUser, uniqueEmail } from '../helpers/factories';
import { signIn, submitForm } from '../helpers/http';
import { MailTestbed, startMailTestbed } from '../helpers/mail-worker';
import { SmtpSink, startSmtpSink } from '../helpers/smtp-sink';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createProject, createTickets } from './tickets-fixtures';

const references = (mail: ParsedMail) => ([] as string[]).concat(mail.references ?? []);

describe('notification mail through a real SMTP server', () => {
  let smtp: SmtpSink;
  let t: TestApp;
  let testbed: MailTestbed;

  beforeAll(async () => {
    // No window: each change is mailed at once (the window's summary is tested on the job itself).
    ({ smtp, app: t } = testbed = await startMailTestbed({ NOTIFY_WINDOW_MS: '0' }));
  }, 60_000);
  afterAll(() => testbed.close());

  async function team() {
    const alice = await createUser(t, { name: 'Alice Reporter' });
    const bob = await createUser(t, { name: 'Bob Commenter' });
    const carol = await createUser(t, { name: 'Carol Assignee' });
    const project = await createProject([alice, bob, carol]);
    const [ticket] = await createTickets(project, alice, 1, () => ({ title: `Mailed ${randomUUID().slice(0, 6)}` }));
    return { alice, bob, carol, project, ticket, url: `/projects/${project.id}/tickets/${ticket.id}` };
  }

  /** Pending notifications written straight to the table: no job is queued for them. */
  const pending = (recipient: User, project: Project, ticket: Ticket, actor: User, details: string[]) =>
    Notification.bulkCreate(
      details.map((detail, i) => ({
        recipientId: recipient.id,
        projectId: project.id,
        ticketId: ticket.id,
        actorId: actor.id,
        kind: 'commented',
        detail,
        createdAt: new Date(Date.now() + i),
      })),
    );

  it('mails a new comment to the reporter (HTML and text, a link to the ticket), not to its author; mails about one ticket thread', async () => {
    const { alice, bob, project, ticket, url } = await team();
    const b = await signIn(t.http, bob.email);
    await b.page(url);
    expect((await submitForm(b, 'post', `${url}/comments`, { body: 'Have a look' })).status).toBe(200);

    const first = await smtp.waitFor(alice.email);
    expect(first.subject).toBe(`[${project.name}] #${ticket.number} ${ticket.title}`);
    expect(first.text).toContain('Bob Commenter commented on the ticket: Have a look');
    expect(first.text).toContain(`${t.config.baseUrl}${url}`);
    expect(first.html).toContain(`href="${t.config.baseUrl}${url}"`);
    expect(first.html).toContain('Bob Commenter commented on the ticket: Have a look');
    const host = new URL(t.config.baseUrl).hostname;
    expect(first.inReplyTo).toBe(`<ticket.${ticket.id}@${host}>`);
    expect(references(first)).toEqual([`<ticket.${ticket.id}@${host}>`]);
    expect(first.messageId).toMatch(new RegExp(`^<notification\\.[0-9a-f-]{36}@${host.replace(/\./g, '\\.')}>$`));
    // The author is never told: there is nothing to mail them.
    expect(await Notification.count({ where: { recipientId: bob.id } })).toBe(0);
    await eventually(async () =>
      (await Notification.findOne({ where: { recipientId: alice.id, mailOutcome: 'sent' } })) ? true : null,
    );

    expect((await submitForm(b, 'post', `${url}/comments`, { body: 'And this' })).status).toBe(200);
    const second = await smtp.waitFor(alice.email, 2);
    expect(second.text).toContain('And this');
    expect(second.inReplyTo).toBe(first.inReplyTo);
    expect(references(second)).toEqual(references(first));
    expect(second.messageId).not.toBe(first.messageId);
  });

  it('mails an assignment to the assignee and a status change to the reporter, never to whoever made them', async () => {
    const { alice, carol, project, ticket } = await team();
    const tickets = t.get(TicketsService);
    await tickets.update(project, ticket.id, { assigneeId: carol.id, version: 0 }, alice);
    const assigned = await smtp.waitFor(carol.email);
    expect(assigned.text).toContain('Alice Reporter assigned you the ticket');

    await tickets.update(project, ticket.id, { status: 'DONE', version: 1, source: 'board' }, carol);
    const moved = await smtp.waitFor(alice.email);
    expect(moved.text).toContain('Carol Assignee changed the status of the ticket: now Done');
    expect(smtp.to(carol.email)).toHaveLength(1);
  });

  it('sends one mail summarising the pending notifications of one person and ticket, and nothing more', async () => {
    const { alice, bob, project, ticket } = await team();
    await pending(alice, project, ticket, bob, ['One', 'Two', 'Three']);
    const job = t.get(NotificationMailJob);
    expect(await job.deliver({ recipientId: alice.id, ticketId: ticket.id })).toBe('sent');
    expect(await job.deliver({ recipientId: alice.id, ticketId: ticket.id })).toBe('nothing');
    const mail = await smtp.waitFor(alice.email);
    expect(mail.text).toMatch(/: One\n- .*: Two\n- .*: Three\n/);
    expect(smtp.to(alice.email)).toHaveLength(1);
    expect(await Notification.count({ where: { recipientId: alice.id, mailOutcome: 'sent' } })).toBe(3);
  });

  it('checks access again when sending: a removed member and a deactivated account get nothing', async () => {
    const { alice, bob, carol, project, ticket } = await team();
    await pending(bob, project, ticket, alice, ['For Bob']);
    await pending(carol, project, ticket, alice, ['For Carol']);
    const manager = await createUser(t, { role: 'MANAGER' });
    await t.get(MembershipsService).remove(project, bob.id);
    await t.get(UsersService).deactivate(carol.id, manager.id);

    const job = t.get(NotificationMailJob);
    expect(await job.deliver({ recipientId: bob.id, ticketId: ticket.id })).toBe('no-access');
    expect(await job.deliver({ recipientId: carol.id, ticketId: ticket.id })).toBe('no-access');
    expect(smtp.to(bob.email)).toEqual([]);
    expect(smtp.to(carol.email)).toEqual([]);
    expect(await Notification.count({ where: { ticketId: ticket.id, mailOutcome: 'no-access' } })).toBe(2);
  });

  it('keeps a refused mail pending with its error, for the retry to send', async () => {
    const { alice, project, ticket } = await team();
    const bounced = await createUser(t, { email: uniqueEmail('bounce-notified') });
    await ProjectMember.create({ projectId: project.id, userId: bounced.id });
    const [row] = await pending(bounced, project, ticket, alice, ['Refused']);
    await expect(
      t.get(NotificationMailJob).deliver({ recipientId: bounced.id, ticketId: ticket.id }),
    ).rejects.toThrow();
    await row.reload();
    expect(row.mailDoneAt).toBeNull();
    expect(row.mailClaim).toBeNull();
    expect(row.mailError).toBeTruthy();
  });

  it('sweeps mail left pending (never queued, or claimed by a worker that died) and sends it once', async () => {
    const { alice, bob, carol, project, ticket } = await team();
    const longAgo = new Date(Date.now() - MAIL_CLAIM_MS - 5 * 60_000);
    const [lost] = await pending(alice, project, ticket, bob, ['Never queued']);
    const [held] = await pending(carol, project, ticket, bob, ['Held by a dead worker']);
    await Notification.update({ createdAt: longAgo }, { where: { id: [lost.id, held.id] } });
    await held.update({ mailClaim: randomUUID(), mailClaimedAt: longAgo });
    const [fresh] = await pending(bob, project, ticket, alice, ['Still in its window']);

    const sweep = t.get(NotificationJobs);
    const isOurs = (pair: { ticketId: string }) => pair.ticketId === ticket.id;
    const stuck = (await t.get(NotificationMailJob).stuck(new Date(), 10_000)).filter(isOurs);
    expect(stuck).toEqual(
      expect.arrayContaining([
        { recipientId: alice.id, ticketId: ticket.id },
        { recipientId: carol.id, ticketId: ticket.id },
      ]),
    );
    expect(stuck).toHaveLength(2);
    // (Other tests' leftovers may be swept too.)
    expect(await sweep.sweepPendingMail()).toBeGreaterThanOrEqual(2);
    expect((await smtp.waitFor(alice.email)).text).toContain('Never queued');
    expect((await smtp.waitFor(carol.email)).text).toContain('Held by a dead worker');
    await eventually(async () =>
      (await Notification.count({ where: { id: [lost.id, held.id], mailOutcome: 'sent' } })) === 2 ? true : null,
    );
    expect((await t.get(NotificationMailJob).stuck(new Date(), 10_000)).filter(isOurs)).toEqual([]);
    expect(smtp.to(alice.email)).toHaveLength(1);
    expect(smtp.to(carol.email)).toHaveLength(1);
    expect((await fresh.reload()).mailDoneAt).toBeNull();
  });
});

describe('notification mail: the window gathers what follows into one mail', () => {
  let smtp: SmtpSink;
  let t: TestApp;
  let testbed: MailTestbed;
  // Long enough for two requests on a loaded machine; the test waits for it once.
  const WINDOW_MS = 8000;

  beforeAll(async () => {
    ({ smtp, app: t } = testbed = await startMailTestbed({ NOTIFY_WINDOW_MS: String(WINDOW_MS) }));
  }, 60_000);
  afterAll(() => testbed.close());

  it('sends one mail for two comments made within the window, listing both', async () => {
    const alice = await createUser(t, { name: 'Alice Reporter' });
    const bob = await createUser(t, { name: 'Bob Commenter' });
    const project = await createProject([alice, bob]);
    const [ticket] = await createTickets(project, alice, 1);
    const url = `/projects/${project.id}/tickets/${ticket.id}`;
    const b = await signIn(t.http, bob.email);
    await b.page(url);
    expect((await submitForm(b, 'post', `${url}/comments`, { body: 'First thought' })).status).toBe(200);
    expect((await submitForm(b, 'post', `${url}/comments`, { body: 'Second thought' })).status).toBe(200);

    const mail = await smtp.waitFor(alice.email, 1, 60_000);
    expect(mail.text).toMatch(/First thought\n- Bob Commenter commented on the ticket: Second thought/);
    const rows = await eventually(async () => {
      const found = await Notification.findAll({ where: { recipientId: alice.id, mailOutcome: 'sent' } });
      return found.length === 2 ? found : null;
    });
    // One delivery sent both.
    expect(new Set(rows.map((row) => row.mailClaim)).size).toBe(1);
  }, 90_000);
});

describe('notification mail: preferences', () => {
  let smtp: SmtpSink;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startTestApp({ SMTP_URL: smtp.url });
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('mails only the kinds a person keeps, none when they uncheck all; the inbox still lists everything', async () => {
    const alice = await createUser(t, { name: 'Alice Reporter' });
    const bob = await createUser(t, { name: 'Bob Commenter' });
    const project = await createProject([alice, bob]);
    const [ticket] = await createTickets(project, alice, 1);
    const a = await signIn(t.http, alice.email);

    const form = await a.page('/notifications/preferences');
    expect(form.status).toBe(200);
    expect(form.text.match(/name="mail"[^>]* checked/g)).toHaveLength(4); // every kind, mentions included
    const saved = await submitForm(a, 'post', '/notifications/preferences', { mail: ['assigned', 'status'] });
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('Email preferences saved.');
    expect(saved.text).not.toMatch(/id="mail-commented"[^>]* checked/);

    const mailJob = t.get(NotificationMailJob);
    const make = (kind: 'commented' | 'status', detail: string) =>
      Notification.create({
        recipientId: alice.id,
        projectId: project.id,
        ticketId: ticket.id,
        actorId: bob.id,
        kind,
        detail,
      });
    await make('commented', 'Muted comment');
    expect(await mailJob.deliver({ recipientId: alice.id, ticketId: ticket.id })).toBe('muted');
    await make('commented', 'Another muted comment');
    await make('status', 'DONE');
    expect(await mailJob.deliver({ recipientId: alice.id, ticketId: ticket.id })).toBe('sent');
    const mail = await smtp.waitFor(alice.email);
    expect(mail.text).toContain('changed the status of the ticket: now Done');
    expect(mail.text).not.toContain('muted comment');
    expect(smtp.to(alice.email)).toHaveLength(1);

    const none = await submitForm(a, 'post', '/notifications/preferences', {});
    expect(none.text).toContain('Saved: you will get no notification emails.');
    await make('status', 'OPEN');
    expect(await mailJob.deliver({ recipientId: alice.id, ticketId: ticket.id })).toBe('muted');
    expect(shownCount((await a.page('/notifications')).text)).toBe(4);

    const refused = await submitForm(a, 'post', '/notifications/preferences', { mail: ['assigned', 'everything'] });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Choose among the kinds listed here.');
    expect((await a.agent.post('/notifications/preferences').type('form').send({ mail: 'status' })).status).toBe(403);
    expect((await a.page('/notifications/preferences')).text).not.toContain(' checked');
  });
});

const shownCount = (html: string) => [...html.matchAll(/data-notification="/g)].length;
