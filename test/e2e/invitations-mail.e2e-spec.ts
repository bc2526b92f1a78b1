import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bull';
import request from 'supertest';
import { User } from '../../src/accounts/user.model';
import { JobQueue } from '../../src/jobs/job-queue';
import { BullJobQueue } from '../../src/jobs/bull-job-queue';
import { InvitationJobs, MAINTENANCE_JOB } from '../../src/invitations/invitation-jobs';
import { InvitationMailJob } from '../../src/invitations/invitation-mail.job';
import { generateToken, hashToken } from '../../src/invitations/invitation-token';
import { Invitation } from '../../src/invitations/invitation.model';
import { InvitationsService, MailJob } from '../../src/invitations/invitations.service';
import { ProjectMember } from '../../src/projects/project-member.model';
import { Project } from '../../src/projects/project.model';
import { createUser, uniqueEmail } from '../helpers/factories';
import { Client, client, signIn, UNPOLY_MODAL } from '../helpers/http';
import { startWorker } from '../helpers/mail-worker';
import { joinPathFrom, SmtpSink, startSmtpSink } from '../helpers/smtp-sink';
import { eventually } from '../helpers/eventually';
import { startTestApp, TestApp } from '../helpers/test-app';
import { usesRedis } from '../helpers/test-config';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('invitation mail through a real SMTP server', () => {
  let smtp: SmtpSink;
  let t: TestApp;
  let worker: INestApplicationContext | null;
  let manager: User;
  let m: Client;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startTestApp({ SMTP_URL: smtp.url });
    worker = await startWorker(t.config); // with Redis the web app only enqueues
    manager = await createUser(t, { role: 'MANAGER', name: 'Mona Manager' });
    m = await signIn(t.http, manager.email);
  });
  afterAll(async () => {
    await worker?.close();
    await t.close();
    await smtp.close();
  });

  const invite = (fields: Record<string, string>) =>
    m.agent
      .post('/invitations')
      .set(UNPOLY_MODAL)
      .type('form')
      .send({ ...fields, _csrf: m.csrf });

  it('invites, mails the link (HTML and text), and the invitee joins and lands on the dashboard as a member of the project', async () => {
    const project = await Project.create({ name: 'Apollo', createdBy: manager.id });
    const email = uniqueEmail('newcomer');
    expect((await invite({ email, projectId: project.id })).status).toBe(200);

    const mail = await smtp.waitFor(email);
    expect(mail.subject).toBe('Mona Manager invited you to Apollo on hticket');
    expect(mail.text).toContain('Mona Manager invited you');
    expect(mail.text).toContain('"Apollo"');
    expect(mail.text).toMatch(/expires on .+ UTC/);
    expect(mail.html).toContain('Accept the invitation');
    expect(mail.html).toContain('<strong>Apollo</strong>');
    const path = joinPathFrom(mail);
    expect(mail.html).toContain(path);

    const invitation = await eventually(async () => {
      const row = await Invitation.findOne({ where: { email } });
      return row?.sentAt ? row : null;
    });
    expect(invitation.sendError).toBeNull();
    expect(invitation.tokenHash).toBe(hashToken(path.split('/join/')[1]));

    const invitee = client(t.http);
    const page = await invitee.page(path);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(new RegExp(`id="join-email" value="${email}" readonly`));
    const joined = await invitee.agent.post(path).type('form').send({
      name: 'Nina Newcomer',
      password: 'a long password',
      confirmPassword: 'a long password',
      _csrf: invitee.csrf,
    });
    expect(joined.status).toBe(303);
    expect(joined.headers.location).toBe('/');
    const dashboard = await invitee.agent.get('/');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain('Apollo');
    expect(dashboard.text).toContain('Nina Newcomer');
    const user = (await User.findOne({ where: { email } }))!;
    expect(await ProjectMember.count({ where: { projectId: project.id, userId: user.id } })).toBe(1);
  });

  it('an invitation extended to a second project is mailed again naming both; the first link no longer works, the second joins both', async () => {
    const hermes = await Project.create({ name: 'Hermes', createdBy: manager.id });
    const zeus = await Project.create({ name: 'Zeus', createdBy: manager.id });
    const email = uniqueEmail('twice');
    await invite({ email, projectId: zeus.id });
    const first = await smtp.waitFor(email);
    await invite({ email, projectId: hermes.id, role: 'MANAGER' });
    const second = await smtp.waitFor(email, 2);
    expect(second.subject).toBe('Mona Manager invited you to Hermes and Zeus on hticket');
    expect(second.text).toContain('the projects "Hermes and Zeus" on hticket as a manager');
    expect(second.html).toContain('the projects <strong>Hermes and Zeus</strong>');

    const invitee = client(t.http);
    expect((await invitee.agent.get(joinPathFrom(first))).status).toBe(404);
    await invitee.page(joinPathFrom(second));
    const joined = await invitee.agent.post(joinPathFrom(second)).type('form').send({
      name: 'Tom Twice',
      password: 'a long password',
      confirmPassword: 'a long password',
      _csrf: invitee.csrf,
    });
    expect(joined.status).toBe(303);
    const user = (await User.findOne({ where: { email } }))!;
    expect(user.role).toBe('MANAGER');
    expect(await ProjectMember.count({ where: { projectId: [hermes.id, zeus.id], userId: user.id } })).toBe(2);
  });

  it('never sends twice for one token: running the job again after success sends nothing', async () => {
    const add = jest.spyOn(t.get(JobQueue), 'add');
    try {
      const email = uniqueEmail('once');
      await invite({ email });
      await smtp.waitFor(email);
      const call = add.mock.calls.find(([, name, data]) => name === 'invitation' && (data as MailJob).invitationId);
      const job = call![2] as MailJob;
      expect(call![3]!.jobId).toMatch(/^invitation:[0-9a-f-]{36}:[0-9a-f]{16}$/);
      expect(JSON.stringify(job)).not.toContain(joinPathFrom(smtp.to(email)[0]).split('/join/')[1]); // the token travels sealed
      const { sentAt } = await eventually(async () => {
        const row = await Invitation.findOne({ where: { email } });
        return row?.sentAt ? row : null;
      });
      expect(await t.get(InvitationMailJob).deliver(job)).toBe('skipped');
      expect(smtp.to(email)).toHaveLength(1);
      expect((await Invitation.findOne({ where: { email } }))!.sentAt).toEqual(sentAt);
    } finally {
      add.mockRestore();
    }
  });

  it('resend mails a new link with a new job id; the old link stops working', async () => {
    const email = uniqueEmail('again');
    await invite({ email });
    const first = await smtp.waitFor(email);
    const invitation = (await Invitation.findOne({ where: { email } }))!;
    await invitation.update({ tokenIssuedAt: new Date(Date.now() - 2 * 60_000) });
    const add = jest.spyOn(t.get(JobQueue), 'add');
    try {
      const response = await m.agent
        .post(`/invitations/${invitation.id}/resend`)
        .set(UNPOLY_MODAL)
        .type('form')
        .send({ _csrf: m.csrf });
      expect(response.status).toBe(200);
      const second = await smtp.waitFor(email, 2);
      expect(joinPathFrom(second)).not.toBe(joinPathFrom(first));
      expect((await request(t.http).get(joinPathFrom(first))).status).toBe(404);
      expect((await request(t.http).get(joinPathFrom(second))).status).toBe(200);
      expect(add.mock.calls[0][3]!.jobId).not.toContain(invitation.tokenHash.slice(0, 16));
    } finally {
      add.mockRestore();
    }
  });

  it('records a failed delivery on the invitation and shows it to managers', async () => {
    const email = uniqueEmail('bounce');
    await invite({ email });
    const failed = await eventually(async () => {
      const row = await Invitation.findOne({ where: { email } });
      return row?.sendError ? row : null;
    });
    expect(failed.sentAt).toBeNull();
    expect(failed.sendError).toMatch(/550|mailbox unavailable/);
    const list = await m.agent.get('/invitations');
    expect(list.text).toMatch(new RegExp(`data-invitation-id="${failed.id}" data-state="failed"`));
  });

  it('refuses addresses that mail would deliver elsewhere, and mails what it accepts to exactly the address typed', async () => {
    const envelopesBefore = smtp.envelopes.length;
    const victim = uniqueEmail('victim');
    const refused = [
      '"<x>"@example.com',
      `"${victim}"@example.com`,
      `"<${victim}>"@example.com`,
      `"x y"@example.com`,
      `x(${victim})@example.com`,
      `Someone <${victim}>`,
      `${uniqueEmail('shown')},${victim}`,
      `${uniqueEmail('shown')}\r\nBcc: ${victim}`,
    ];
    for (const email of refused) {
      const response = await invite({ email });
      expect({ email, status: response.status }).toEqual({ email, status: 422 });
      expect(response.text).toContain('data-error-for="email">Enter a valid email address, like name@example.com.');
    }
    expect(await Invitation.count({ where: { email: refused.map((email) => email.toLowerCase()) } })).toBe(0);

    // Unusual but plain: apostrophe, plus tag, capitals. Delivered to the very address.
    const accepted = uniqueEmail("O'Brien+tracker");
    expect((await invite({ email: accepted })).status).toBe(200);
    await smtp.waitFor(accepted);
    expect(smtp.envelopes.slice(envelopesBefore)).toEqual([[accepted.toLowerCase()]]);
    expect(smtp.to(victim)).toEqual([]);
    expect((await m.agent.get('/invitations')).text).toContain(accepted.toLowerCase().replace("'", '&#x27;'));
  });

  it('adds an existing user (any case) to the chosen project and tells them by mail', async () => {
    const existing = await createUser(t, { name: 'Erin Existing' });
    const project = await Project.create({ name: 'Gemini', createdBy: manager.id });
    const response = await invite({ email: existing.email.toUpperCase(), projectId: project.id });
    expect(response.status).toBe(200);
    expect(await ProjectMember.count({ where: { projectId: project.id, userId: existing.id } })).toBe(1);
    const mail = await smtp.waitFor(existing.email);
    expect(mail.subject).toBe('Mona Manager added you to Gemini on hticket');
    expect(mail.text).toContain(`/projects/${project.id}`);
  });

  it('the maintenance job re-queues mail still pending after a minute (crash between commit and enqueue) and deletes long-expired invitations', async () => {
    const email = uniqueEmail('stranded');
    const stranded = await Invitation.create({
      email,
      tokenHash: hashToken(generateToken()),
      senderId: manager.id,
      expiresAt: new Date(Date.now() + 48 * HOUR),
      tokenIssuedAt: new Date(Date.now() - 2 * 60_000),
    });
    const oldUnused = await Invitation.create({
      email: uniqueEmail(),
      tokenHash: hashToken(generateToken()),
      expiresAt: new Date(Date.now() - 8 * DAY),
    });
    const oldUsed = await Invitation.create({
      email: uniqueEmail(),
      tokenHash: hashToken(generateToken()),
      expiresAt: new Date(Date.now() - 8 * DAY),
      isUsed: true,
    });
    const recent = await Invitation.create({
      email: uniqueEmail(),
      tokenHash: hashToken(generateToken()),
      expiresAt: new Date(Date.now() - 6 * DAY),
    });

    const result = await t.get(InvitationsService).runMaintenance();
    expect(result.deleted).toBeGreaterThanOrEqual(1);
    expect(result.requeued).toBeGreaterThanOrEqual(1);
    expect(await Invitation.findByPk(oldUnused.id)).toBeNull();
    expect(await Invitation.findByPk(oldUsed.id)).not.toBeNull();
    expect(await Invitation.findByPk(recent.id)).not.toBeNull();

    const mail = await smtp.waitFor(email);
    expect((await request(t.http).get(joinPathFrom(mail))).status).toBe(200);
    await eventually(async () => (await Invitation.findByPk(stranded.id))?.sentAt);
  });
});

(usesRedis() ? describe : describe.skip)('invitation jobs on Redis (Bull)', () => {
  let smtp: SmtpSink;
  let t: TestApp;
  let manager: User;
  let m: Client;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startTestApp({ SMTP_URL: smtp.url });
    manager = await createUser(t, { role: 'MANAGER' });
    m = await signIn(t.http, manager.email);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('the web app only enqueues; a job queued while no worker runs is delivered by a Bull worker once it starts', async () => {
    const email = uniqueEmail('waiting');
    const response = await m.agent.post('/invitations').set(UNPOLY_MODAL).type('form').send({ email, _csrf: m.csrf });
    expect(response.status).toBe(200);
    const invitation = (await Invitation.findOne({ where: { email } }))!;
    const queue: Queue = t.get(BullJobQueue).queue('mail');
    const job = await queue.getJob(`invitation:${invitation.id}:${invitation.tokenHash.slice(0, 16)}`);
    expect(job).not.toBeNull();
    expect(await job!.getState()).toBe('waiting');
    expect(job!.opts.attempts).toBe(5);
    expect(job!.opts.backoff).toEqual({ type: 'exponential', delay: 2000 });
    expect(smtp.to(email)).toHaveLength(0);
    expect((await invitation.reload()).sentAt).toBeNull();

    const worker = await startWorker(t.config);
    try {
      const mail = await smtp.waitFor(email);
      expect(joinPathFrom(mail)).toMatch(/^\/join\//);
      await eventually(async () => (await invitation.reload()).sentAt);
      await eventually(async () => (await job!.getState()) === 'completed');
    } finally {
      await worker!.close();
    }
  });

  it('registers the repeatable maintenance job once when two app instances boot', async () => {
    const prefix = `hticket-test-repeat-${generateToken().slice(0, 8)}`;
    const a = await startTestApp({ QUEUE_PREFIX: prefix });
    const b = await startTestApp({ QUEUE_PREFIX: prefix });
    try {
      await Promise.all([a.get(InvitationJobs).scheduleMaintenance(), b.get(InvitationJobs).scheduleMaintenance()]);
      await b.get(InvitationJobs).scheduleMaintenance(); // a restart
      const repeatable = await a.get(BullJobQueue).queue('maintenance').getRepeatableJobs();
      expect(repeatable.filter((job) => job.key.startsWith(`${MAINTENANCE_JOB}:`))).toEqual([
        expect.objectContaining({ name: MAINTENANCE_JOB, cron: a.config.inviteCleanupCron }),
      ]);
    } finally {
      await a.get(BullJobQueue).queue('maintenance').obliterate({ force: true });
      await a.close();
      await b.close();
    }
  });
});
