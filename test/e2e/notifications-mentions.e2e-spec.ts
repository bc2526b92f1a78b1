import { randomUUID } from 'node:crypto';
import { mentionHandle } from '../../src/common/mentions';
import { Notification } from '../../src/notifications/notification.model';
import { NotificationPreferencesService } from '../../src/notifications/notification-preferences.service';
import { eventually } from '../helpers/eventually';
import { createUser } from '../helpers/factories';
import { signIn, submitForm } from '../helpers/http';
import { MailTestbed, startMailTestbed } from '../helpers/mail-worker';
import type { SmtpSink } from '../helpers/smtp-sink';
import type { TestApp } from '../helpers/test-app';
import { TicketsService } from '../../src/tickets/tickets.service';
import { createProject, createTickets } from './tickets-fixtures';

describe('@mentions in comments', () => {
  let smtp: SmtpSink;
  let t: TestApp;
  let testbed: MailTestbed;

  beforeAll(async () => {
    ({ smtp, app: t } = testbed = await startMailTestbed({ NOTIFY_WINDOW_MS: '0' }));
  }, 60_000);
  afterAll(() => testbed.close());

  async function team() {
    const alice = await createUser(t, { name: 'Alice Reporter' });
    const bob = await createUser(t, { name: 'Bob Author' });
    const dora = await createUser(t, { name: 'Dora Member' });
    const outsider = await createUser(t, { name: 'Olga Outsider' });
    const project = await createProject([alice, bob, dora]);
    const [ticket] = await createTickets(project, alice, 1, () => ({ title: `Mention ${randomUUID().slice(0, 6)}` }));
    return { alice, bob, dora, outsider, project, ticket, url: `/projects/${project.id}/tickets/${ticket.id}` };
  }

  async function comment(email: string, url: string, body: string) {
    const session = await signIn(t.http, email);
    await session.page(url);
    expect((await submitForm(session, 'post', `${url}/comments`, { body })).status).toBe(200);
    return session;
  }

  it('tells a mentioned member by mail and in the inbox, and shows the mention as their highlighted name', async () => {
    const { alice, bob, dora, url } = await team();
    const b = await comment(bob.email, url, `Could @${mentionHandle(dora.email).toUpperCase()} look at this?`);

    const mail = await smtp.waitFor(dora.email);
    expect(mail.text).toContain('Bob Author mentioned you on the ticket: Could @');
    expect(await Notification.findAll({ where: { recipientId: dora.id }, raw: true })).toEqual([
      expect.objectContaining({ kind: 'mentioned' }),
    ]);
    // The reporter is told of the comment as before; the author of nothing.
    expect((await smtp.waitFor(alice.email)).text).toContain('Bob Author commented on the ticket');
    expect(await Notification.count({ where: { recipientId: bob.id } })).toBe(0);

    const timeline = await b.page(url);
    expect(timeline.text).toContain(`<span class="mention" title="@${mentionHandle(dora.email)}">@Dora Member</span>`);
  });

  it('leaves a mention of someone without access as plain text and tells them nothing', async () => {
    const { bob, outsider, url, ticket } = await team();
    const handle = mentionHandle(outsider.email);
    const b = await comment(bob.email, url, `Not for @${handle}`);
    await eventually(async () =>
      (await Notification.count({ where: { ticketId: ticket.id, mailOutcome: 'sent' } })) > 0 ? true : null,
    );

    expect(await Notification.count({ where: { recipientId: outsider.id } })).toBe(0);
    expect(smtp.to(outsider.email)).toEqual([]);
    const timeline = await b.page(url);
    expect(timeline.text).toContain(`Not for @${handle}`);
    expect(timeline.text).not.toContain('class="mention"');
  });

  it('never tells the author of their own mention', async () => {
    const { bob, url, ticket } = await team();
    await comment(bob.email, url, `Note to self, @${mentionHandle(bob.email)}`);
    await eventually(async () =>
      (await Notification.count({ where: { ticketId: ticket.id, mailOutcome: 'sent' } })) > 0 ? true : null,
    );
    expect(await Notification.count({ where: { recipientId: bob.id } })).toBe(0);
    expect(smtp.to(bob.email)).toEqual([]);
  });

  it('mails no mention to someone who turned mentions off, though the inbox has it', async () => {
    const { bob, dora, url, ticket } = await team();
    await t.get(NotificationPreferencesService).setMailKinds(dora.id, ['assigned', 'commented', 'status']);
    await comment(bob.email, url, `Ping @${mentionHandle(dora.email)}`);
    await eventually(async () =>
      (await Notification.count({ where: { recipientId: dora.id, ticketId: ticket.id, mailOutcome: 'muted' } })) > 0
        ? true
        : null,
    );
    expect(smtp.to(dora.email)).toEqual([]);
  });

  it('tells the people a description mentions when the ticket is made, and those newly mentioned when it is edited', async () => {
    const { alice, bob, dora, project } = await team();
    const tickets = t.get(TicketsService);
    const ticket = await tickets.create(project, alice, {
      title: 'Described',
      description: `For @${mentionHandle(dora.email)} and @${mentionHandle(alice.email)}`,
      priority: 'MEDIUM',
      status: 'OPEN',
    });
    expect((await smtp.waitFor(dora.email)).text).toContain('Alice Reporter mentioned you on the ticket');
    expect(await Notification.count({ where: { recipientId: alice.id } })).toBe(0);

    const edited = await tickets.update(
      project,
      ticket.id,
      { description: `For @${mentionHandle(dora.email)}, and now @${mentionHandle(bob.email)}`, version: 0 },
      alice,
    );
    expect(edited.ok).toBe(true);
    expect((await smtp.waitFor(bob.email)).text).toContain('Alice Reporter mentioned you on the ticket');
    await eventually(async () =>
      (await Notification.count({ where: { recipientId: bob.id, mailOutcome: 'sent' } })) > 0 ? true : null,
    );
    expect(await Notification.count({ where: { recipientId: dora.id, kind: 'mentioned' } })).toBe(1);

    const b = await signIn(t.http, bob.email);
    const details = await b.page(`/projects/${project.id}/tickets/${ticket.id}`);
    expect(details.text).toContain(
      '<span class="mention" title="@' + mentionHandle(bob.email) + '">@Bob Author</span>',
    );
  });

  it('offers the autocomplete the people with access, to them only, and previews mentions as they will show', async () => {
    const { bob, dora, outsider, project } = await team();
    const b = await signIn(t.http, bob.email);
    const list = await b.agent.get(`/projects/${project.id}/tickets/mentionable`);
    expect(list.status).toBe(200);
    expect(list.text).toContain(`data-handle="${mentionHandle(dora.email)}" data-name="Dora Member"`);
    expect(list.text).not.toContain(mentionHandle(outsider.email));
    expect(list.text).not.toContain('<html');

    const o = await signIn(t.http, outsider.email);
    expect((await o.agent.get(`/projects/${project.id}/tickets/mentionable`)).status).toBe(404);

    await b.page(`/projects/${project.id}/tickets/new`);
    const preview = await submitForm(b, 'post', `/projects/${project.id}/tickets/preview`, {
      description: `Hi @${mentionHandle(dora.email)} and @${mentionHandle(outsider.email)}`,
    });
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('>@Dora Member</span> and @');
  });
});
