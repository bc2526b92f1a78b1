import { Inject, Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectModel } from '@nestjs/sequelize';
import { isUUID } from 'class-validator';
import { Op, Transaction, UniqueConstraintError } from 'sequelize';
import { UserDeactivated } from '../accounts/account-events';
import { AccountsService, normalizeEmail } from '../accounts/accounts.service';
import type { Role, User } from '../accounts/user.model';
import { InvalidInput, NotFound } from '../common/errors';
import { isPlainEmailAddress } from '../common/forms/email-address';
import { AppConfig } from '../config/app-config';
import { JobQueue } from '../jobs/job-queue';
import { MAIL_PRIORITY } from '../jobs/queues';
import { MembershipsService } from '../projects/memberships.service';
import { ProjectDeleting } from '../projects/project-events';
import type { Project } from '../projects/project.model';
import { ProjectsService } from '../projects/projects.service';
import { Clock } from './clock';
import { InviteDto } from './dto/invite.dto';
import {
  cleanupWhere,
  expiryFrom,
  invitationState,
  InvitationState,
  PendingScope,
  pendingWhere,
  RESEND_COOLDOWN_MS,
  resendWaitMs,
  sweepWhere,
} from './invitation-rules';
import { generateToken, hashToken, sealToken } from './invitation-token';
import { Invitation } from './invitation.model';
import { projectNamesOf } from './project-names';
import { InvitationProject } from './invitation-project.model';
import { WriteTransactions } from '../database/write-transactions';

/** `mailQueued` false: the row is saved but the queue (Redis) refused the mail; the sweep sends it later. */
export type InviteOutcome =
  | { kind: 'invited'; invitation: Invitation; mailQueued: boolean }
  /** An open invitation for the email was refreshed; `project` is the one added to it, if any. */
  | {
      kind: 'merged' | 'resent';
      invitation: Invitation;
      project: Project | null;
      roleRaised: boolean;
      mailQueued: boolean;
    }
  | { kind: 'added'; user: User; project: Project; mailQueued: boolean }
  | { kind: 'already-member' | 'has-account' }
  | { kind: 'unknown-project' };

export type ResendOutcome =
  | { kind: 'resent'; mailQueued: boolean }
  | { kind: 'too-soon'; waitSeconds: number }
  | { kind: 'closed'; state: InvitationState };

export interface InvitationRow {
  id: string;
  email: string;
  role: Role;
  state: InvitationState;
  sendError: string | null;
  senderName: string | null;
  projectName: string | null;
  expiresAt: Date;
  createdAt: Date;
  canResend: boolean;
  canRevoke: boolean;
}

export interface MailJob {
  invitationId: string;
  /** The raw token, sealed (see sealToken): Redis never holds a usable link. */
  sealedToken: string;
}

/** What a manager sees of an invitation's sender and project, joined through its associations. */
const SENDER_AND_PROJECT = [
  { association: 'sender', attributes: ['id', 'name', 'email'] },
  { association: 'projects', attributes: ['id', 'name'], through: { attributes: [] } },
];

/** How many invitations the list shows (newest first), and the sweep handles per run. */
const LIST_LIMIT = 500;
const SWEEP_BATCH = 200;

/** Invite, resend, revoke and copy-link rules, the first-run invitation, and the periodic cleanup. */
@Injectable()
export class InvitationsService {
  private readonly logger = new Logger('Invitations');

  constructor(
    @InjectModel(Invitation) private readonly invitations: typeof Invitation,
    @InjectModel(InvitationProject) private readonly invitationProjects: typeof InvitationProject,
    private readonly accounts: AccountsService,
    private readonly projects: ProjectsService,
    private readonly memberships: MembershipsService,
    private readonly transactions: WriteTransactions,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  joinLink(token: string): string {
    return `${this.config.baseUrl}/join/${token}`;
  }

  /**
   * Use case 1.1. An existing account is added to the chosen project (and told by mail);
   * otherwise the invitation pending for the same email and project gets a new token and
   * expiry, or a new one is created. Mail is queued after the transaction commits.
   */
  async invite(sender: User | null, input: InviteDto): Promise<InviteOutcome> {
    const email = normalizeEmail(input.email);
    const project = input.projectId ? await this.projects.findById(input.projectId) : null;
    if (input.projectId && !project) return { kind: 'unknown-project' };

    const user = await this.accounts.findByEmail(email);
    if (user) {
      if (!project) return { kind: 'has-account' };
      if (!(await this.memberships.addIfAbsent(project.id, user.id))) return { kind: 'already-member' };
      const mailQueued = await this.enqueue(
        'project-added',
        { userId: user.id, projectId: project.id, senderId: sender?.id ?? null },
        `project-added:${project.id}:${user.id}`,
      );
      return { kind: 'added', user, project, mailQueued };
    }

    try {
      return await this.inviteOrMerge(sender, email, project, input.role);
    } catch (error) {
      // Two invites at once (a double click): the other one created the open invitation first.
      if (!(error instanceof UniqueConstraintError)) throw error;
      return this.inviteOrMerge(sender, email, project, input.role);
    }
  }

  /**
   * One open invitation per email (a partial unique index holds that): an open one gets the
   * project added, the higher of both roles and a fresh token (the earlier link stops working);
   * otherwise a new one is created.
   */
  private async inviteOrMerge(
    sender: User | null,
    email: string,
    project: Project | null,
    role: Role,
  ): Promise<InviteOutcome> {
    const { token, fields } = this.freshToken(sender);
    const outcome = await this.transactions.run(async (transaction): Promise<InviteOutcome> => {
      const open = await this.invitations.findOne({
        where: { email, isUsed: false, revokedAt: null },
        lock: transaction.LOCK.UPDATE,
        transaction,
      });
      if (!open) {
        const invitation = await this.invitations.create(
          { email, projectId: project?.id ?? null, ...fields, role },
          { transaction },
        );
        if (project)
          await this.invitationProjects.create({ invitationId: invitation.id, projectId: project.id }, { transaction });
        return { kind: 'invited', invitation, mailQueued: false };
      }
      const linked = await this.invitationProjects.findAll({ where: { invitationId: open.id }, transaction });
      const addsProject = project !== null && !linked.some((link) => link.projectId === project.id);
      const roleRaised = role === 'MANAGER' && open.role !== 'MANAGER';
      await open.update(
        { ...fields, role: roleRaised ? 'MANAGER' : open.role, projectId: open.projectId ?? project?.id ?? null },
        { transaction },
      );
      if (addsProject)
        await this.invitationProjects.create({ invitationId: open.id, projectId: project.id }, { transaction });
      return {
        kind: addsProject ? 'merged' : 'resent',
        invitation: open,
        project: addsProject ? project : null,
        roleRaised,
        mailQueued: false,
      };
    });
    if (outcome.kind === 'invited' || outcome.kind === 'merged' || outcome.kind === 'resent')
      outcome.mailQueued = await this.enqueueMail(outcome.invitation, token);
    return outcome;
  }

  /** For the REPL: invites in the name of `from` (default: the longest-standing manager). */
  async inviteByEmail(
    email: string,
    options: { projectId?: string; role?: Role; from?: string } = {},
  ): Promise<InviteOutcome> {
    if (!isPlainEmailAddress(email.trim())) throw new InvalidInput({ email: 'not-an-email-address' });
    const sender = options.from
      ? await this.accounts.findByEmail(options.from)
      : await this.accounts.oldestActiveManager();
    if (!sender)
      throw new Error(
        'no sender: pass { from: "manager@example.com" }, or use createBootstrapInvitation() on an empty database',
      );
    return this.invite(
      sender,
      Object.assign(new InviteDto(), { email, projectId: options.projectId, role: options.role ?? 'MEMBER' }),
    );
  }

  /** Every invitation, newest first, with its sender and project, in one query. */
  async list(): Promise<InvitationRow[]> {
    const now = this.clock.now();
    const rows = await this.invitations.findAll({
      include: SENDER_AND_PROJECT,
      order: [['createdAt', 'DESC']],
      limit: LIST_LIMIT,
    });
    return rows.map((invitation) => this.row(invitation, now));
  }

  /** One invitation for a manager's action, or NotFound (malformed and unknown ids alike). */
  async find(id: string): Promise<InvitationRow> {
    if (!isUUID(id)) throw new NotFound('invitation');
    const invitation = await this.invitations.findByPk(id, { include: SENDER_AND_PROJECT });
    if (!invitation) throw new NotFound('invitation');
    return this.row(invitation, this.clock.now());
  }

  /**
   * New token and expiry, mail queued again. At most once per cooldown per invitation: the
   * conditional UPDATE makes that hold under concurrent clicks too.
   */
  /** A new token and the columns that go with it: new expiry, delivery state reset, the sender. */
  private freshToken(sender: User | null) {
    const now = this.clock.now();
    const token = generateToken();
    const fields = {
      tokenHash: hashToken(token),
      expiresAt: expiryFrom(now, this.config.inviteTtlHours),
      tokenIssuedAt: now,
      sentAt: null,
      sendError: null,
      senderId: sender?.id ?? null,
    };
    return { token, fields, now };
  }

  async resend(id: string, sender: User | null): Promise<ResendOutcome> {
    const current = await this.find(id);
    if (!current.canResend) return { kind: 'closed', state: current.state };
    const { token, fields, now } = this.freshToken(sender);
    const [updated] = await this.invitations.update(fields, {
      where: {
        id,
        isUsed: false,
        revokedAt: null,
        [Op.or]: [
          { tokenIssuedAt: null },
          { tokenIssuedAt: { [Op.lte]: new Date(now.getTime() - RESEND_COOLDOWN_MS) } },
        ],
      },
    });
    if (updated === 0) {
      const again = await this.invitations.findByPk(id);
      if (!again || again.isUsed || again.revokedAt)
        return { kind: 'closed', state: again ? invitationState(again, now) : 'revoked' };
      return { kind: 'too-soon', waitSeconds: Math.max(1, Math.ceil(resendWaitMs(again.tokenIssuedAt, now) / 1000)) };
    }
    return { kind: 'resent', mailQueued: await this.enqueueMail((await this.invitations.findByPk(id))!, token) };
  }

  /** For when mail is not an option: a new token, shown once to the manager, counted as delivered. */
  async copyLink(id: string): Promise<string | null> {
    await this.find(id);
    const now = this.clock.now();
    const token = generateToken();
    const [updated] = await this.invitations.update(
      {
        tokenHash: hashToken(token),
        expiresAt: expiryFrom(now, this.config.inviteTtlHours),
        tokenIssuedAt: now,
        sentAt: now,
        sendError: null,
      },
      { where: { id, isUsed: false, revokedAt: null } },
    );
    return updated ? this.joinLink(token) : null;
  }

  /** True when revoked now; false when it was used or revoked already. */
  async revoke(id: string): Promise<boolean> {
    await this.find(id);
    return (await this.revokePending({ id })) === 1;
  }

  /**
   * Revokes the invitations nobody has used or revoked yet: one, those a person sent, or those
   * into a project. Returns how many.
   */
  async revokePending(scope: PendingScope, transaction?: Transaction): Promise<number> {
    const [revoked] = await this.invitations.update(
      { revokedAt: this.clock.now() },
      { where: pendingWhere(scope), transaction },
    );
    return revoked;
  }

  /** A deactivated person's invitations stop working with the deactivation. */
  @OnEvent(UserDeactivated.event, { suppressErrors: false })
  async onUserDeactivated({ userId, transaction }: UserDeactivated): Promise<void> {
    await this.revokePending({ senderId: userId }, transaction);
  }

  /**
   * An invitation whose only project is being deleted must not be accepted (it would bring the
   * person into nothing); one with other projects keeps those (its link to this one cascades).
   */
  @OnEvent(ProjectDeleting.event, { suppressErrors: false })
  async onProjectDeleting({ projectId, transaction }: ProjectDeleting): Promise<void> {
    const [links, first] = await Promise.all([
      this.invitationProjects.findAll({ where: { projectId }, attributes: ['invitationId'], transaction }),
      this.invitations.findAll({ where: pendingWhere({ projectId }), attributes: ['id'], transaction }),
    ]);
    const ids = [...new Set([...links.map((link) => link.invitationId), ...first.map((row) => row.id)])];
    if (!ids.length) return;
    const kept = await this.invitationProjects.findAll({
      where: { invitationId: ids, projectId: { [Op.ne]: projectId } },
      attributes: ['invitationId'],
      transaction,
    });
    const keep = new Set(kept.map((link) => link.invitationId));
    const onlyThis = ids.filter((id) => !keep.has(id));
    if (onlyThis.length)
      await this.invitations.update(
        { revokedAt: this.clock.now() },
        { where: { id: onlyThis, isUsed: false, revokedAt: null }, transaction },
      );
  }

  /** The repeatable maintenance job: delete long-expired invitations, then re-queue stuck mail. */
  async runMaintenance(): Promise<{ deleted: number; requeued: number }> {
    const deleted = await this.cleanup();
    const requeued = await this.sweepPendingMail();
    if (deleted || requeued)
      this.logger.log(`maintenance: deleted ${deleted} expired invitations, re-queued ${requeued} mails`);
    return { deleted, requeued };
  }

  cleanup(): Promise<number> {
    return this.invitations.destroy({ where: cleanupWhere(this.clock.now(), this.config.inviteRetentionDays) });
  }

  /**
   * Invitations whose mail neither went out nor failed a minute after their token was issued
   * (a crash between commit and enqueue, Redis away): a fresh token, queued again. The old
   * token never reached anyone, and its job, if it ever runs, finds the token superseded.
   */
  async sweepPendingMail(): Promise<number> {
    const now = this.clock.now();
    const stuck = await this.invitations.findAll({
      where: sweepWhere(now),
      limit: SWEEP_BATCH,
      order: [['createdAt', 'ASC']],
    });
    let requeued = 0;
    for (const invitation of stuck) {
      const token = generateToken();
      const [updated] = await this.invitations.update(
        { tokenHash: hashToken(token), tokenIssuedAt: now },
        // The same conditions again: a delivery that claimed the token meanwhile wins.
        { where: { ...sweepWhere(now), id: invitation.id, tokenHash: invitation.tokenHash } },
      );
      if (!updated) continue;
      invitation.tokenHash = hashToken(token);
      if (await this.enqueueMail(invitation, token)) requeued++;
    }
    return requeued;
  }

  /**
   * First run: a MANAGER invitation without sender whose link is printed, not mailed. Any
   * earlier unused bootstrap invitation is revoked, so only the newest printed link works.
   */
  async createBootstrapInvitation(): Promise<string> {
    const now = this.clock.now();
    const token = generateToken();
    await this.transactions.run(async (transaction: Transaction) => {
      await this.invitations.update(
        { revokedAt: now },
        {
          where: { ...pendingWhere({ senderId: null }), role: 'MANAGER', sentAt: { [Op.ne]: null }, projectId: null },
          transaction,
        },
      );
      // One open invitation per email: the printed link replaces any other for the same address.
      if (this.config.adminEmail)
        await this.invitations.update(
          { revokedAt: now },
          { where: { email: this.config.adminEmail, isUsed: false, revokedAt: null }, transaction },
        );
      await this.invitations.create(
        {
          email: this.config.adminEmail ?? '',
          tokenHash: hashToken(token),
          role: 'MANAGER',
          senderId: null,
          projectId: null,
          expiresAt: expiryFrom(now, this.config.inviteTtlHours),
          tokenIssuedAt: now,
          sentAt: now,
        },
        { transaction },
      );
    });
    return this.joinLink(token);
  }

  /** At start: the bootstrap link when the database has no manager yet, else null. */
  async bootstrapIfNoManager(): Promise<string | null> {
    if (await this.accounts.hasManager()) return null;
    return this.createBootstrapInvitation();
  }

  private row(invitation: Invitation, now: Date): InvitationRow {
    const state = invitationState(invitation, now);
    return {
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      state,
      sendError: invitation.sendError,
      senderName: invitation.sender ? invitation.sender.name || invitation.sender.email : null,
      projectName: projectNamesOf(invitation.projects) || null,
      expiresAt: invitation.expiresAt,
      createdAt: invitation.createdAt,
      canResend: !['used', 'revoked'].includes(state) && invitation.email !== '',
      canRevoke: !['used', 'revoked'].includes(state),
    };
  }

  private enqueueMail(invitation: Invitation, token: string): Promise<boolean> {
    const job: MailJob = { invitationId: invitation.id, sealedToken: sealToken(token, this.config.sessionSecret) };
    // The job id changes with the token: Bull ignores a second add of the same one.
    return this.enqueue('invitation', job, `invitation:${invitation.id}:${invitation.tokenHash.slice(0, 16)}`);
  }

  /** A failed enqueue is not the caller's failure: the row is committed and the sweep re-queues it. */
  private enqueue(name: string, data: object, jobId: string): Promise<boolean> {
    return this.jobs.offer('mail', name, data, jobId, { priority: MAIL_PRIORITY.awaited });
  }
}
