import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { Notification } from '../../src/notifications/notification.model';
import { NotificationPreferencesService } from '../../src/notifications/notification-preferences.service';
import { TicketsService } from '../../src/tickets/tickets.service';
import { eventually } from '../helpers/eventually';
import { createUser } from '../helpers/factories';
import { signIn, submitForm } from '../helpers/http';
import { MailTestbed, startMailTestbed } from '../helpers/mail-worker';
import type { SmtpSink } from '../helpers/smtp-sink';
import type { TestApp } from '../helpers/test-app';
import { createProject, createTickets } from './tickets-fixtures';

const header = (mail: ParsedMail, name: string) =>
  mail.headerLines
    .find((line) => line.key === name)
    ?.line.slice(name.length + 1)
    .trim();

describe('one-click unsubscribe (RFC 8058)', () => {
  let smtp: SmtpSink;
  let t: TestApp;
  let testbed: MailTestbed;

  beforeAll(async () => {
    ({ smtp, app: t } = testbed = await startMailTestbed({ NOTIFY_WINDOW_MS: '0' }));
  }, 60_000);
  afterAll(() => testbed.close());

  async function commentedOn() {
    const alice = await createUser(t, { name: 'Alice Reporter' });
    const bob = await createUser(t, { name: 'Bob Commenter' });
    const project = await createProject([alice, bob]);
    const [ticket] = await createTickets(project, alice, 1);
    const url = `/projects/${project.id}/tickets/${ticket.id}`;
    const b = await signIn(t.http, bob.email);
    await b.page(url);
    const comment = async (body: string) =>
      expect((await submitForm(b, 'post', `${url}/comments`, { body })).status).toBe(200);
    await comment('First');
    const mail = await smtp.waitFor(alice.email);
    const link = /^<(.+)>$/.exec(header(mail, 'list-unsubscribe') ?? '')?.[1] ?? '';
    return { alice, bob, project, ticket, mail, link, path: link.slice(t.config.baseUrl.length), comment };
  }

  it('mails carry the headers; GET only asks; a POST without cookies or CSRF token stops that kind, and only it', async () => {
    const { alice, bob, project, ticket, mail, link, path, comment } = await commentedOn();
    expect(link.startsWith(`${t.config.baseUrl}/unsubscribe/`)).toBe(true);
    expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.text).toContain(`No more mail like this one: ${link}`);
    const preferences = t.get(NotificationPreferencesService);

    const confirm = await request(t.http).get(path);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(`action="${path}"`);
    expect(confirm.text).toContain('no more email about comments');
    expect(await preferences.mailKindsOf(alice.id)).toContain('commented');

    const done = await request(t.http).post(path).type('form').send('List-Unsubscribe=One-Click');
    expect(done.status).toBe(200);
    expect(done.text).toContain('Done: you will get no more email about comments');
    expect(await preferences.mailKindsOf(alice.id)).toEqual(['assigned', 'status', 'mentioned']);
    // Again (a mail client retrying) is fine.
    expect((await request(t.http).post(path).type('form').send('List-Unsubscribe=One-Click')).status).toBe(200);

    await comment('Second, not mailed');
    await eventually(async () =>
      (await Notification.count({ where: { recipientId: alice.id, mailOutcome: 'muted' } })) > 0 ? true : null,
    );
    await t.get(TicketsService).update(project, ticket.id, { status: 'DONE', version: 0, source: 'board' }, bob);
    const status = await smtp.waitFor(alice.email, 2);
    expect(status.text).toContain('changed the status');
    expect(smtp.to(alice.email).map((sent) => sent.text)).not.toContainEqual(expect.stringContaining('Second'));
  });

  it('refuses a tampered token (4xx) and changes nothing', async () => {
    const { alice, path } = await commentedOn();
    const [payload, signature] = path.slice('/unsubscribe/'.length).split('.');
    const bent = `${payload.slice(0, -1)}${payload.endsWith('A') ? 'B' : 'A'}.${signature}`;
    for (const tampered of [`/unsubscribe/${bent}`, `${path}x`, '/unsubscribe/nonsense']) {
      const response = await request(t.http).post(tampered).type('form').send('List-Unsubscribe=One-Click');
      const refused = (status: number) => ({ tampered, refused: status >= 400 && status < 500 });
      expect(refused(response.status)).toEqual({ tampered, refused: true });
      expect(refused((await request(t.http).get(tampered)).status)).toEqual({ tampered, refused: true });
    }
    expect(await t.get(NotificationPreferencesService).mailKindsOf(alice.id)).toEqual([
      'assigned',
      'commented',
      'status',
      'mentioned',
    ]);
  });
});
