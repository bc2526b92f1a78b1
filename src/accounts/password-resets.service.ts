import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { Op, WhereOptions } from 'sequelize';
import { generateToken, hashToken, sealToken } from '../common/security/secret-token';
import { AppConfig } from '../config/app-config';
import { WriteTransactions } from '../database/write-transactions';
import { JobQueue } from '../jobs/job-queue';
import { MAIL_PRIORITY } from '../jobs/queues';
import { AccountsService, normalizeEmail } from './accounts.service';
import { PasswordReset } from './password-reset.model';
import { User } from './user.model';

export const RESET_REQUEST_JOB = 'password-reset-request';
export const RESET_MAIL_JOB = 'password-reset';
export const RESET_TOKEN_PURPOSE = 'password-reset';

/**
 * The request job runs this long after the request: a link is created (a transaction, a session
 * write waiting behind it on SQLite) off the request's path, never while its answer is written.
 */
const REQUEST_DELAY_MS = 1000;
/** A pending mail older than this is handed to the queue again by the sweep. */
const SWEEP_AFTER_MS = 60_000;
const SWEEP_BATCH = 200;
const DAY_MS = 86_400_000;
/** Links their owner asked for are deleted this long after they expired; handed-out ones stay as the record. */
const RETENTION_MS = 7 * DAY_MS;

/** `closed`: the account was deactivated; a reset never reactivates one. */
export type ResetLinkStatus = 'valid' | 'unknown' | 'used' | 'replaced' | 'expired' | 'closed';

export interface ResetRequestJob {
  email: string;
}

export interface ResetMailJob {
  resetId: string;
  /** The raw token, sealed, for a mailed link; absent for the notice of a handed-out link. */
  sealedToken?: string;
}

export type HandOutOutcome =
  { kind: 'issued'; link: string; expiresAt: Date; mailQueued: boolean } | { kind: 'inactive' };

export type CompleteOutcome =
  { kind: 'done'; user: User } | { kind: 'closed'; status: Exclude<ResetLinkStatus, 'valid'> };

/** Thrown inside the reset transaction to roll the claim back. */
class ResetRefused extends Error {}

/** Neither used, replaced nor expired. */
function liveWhere(now: Date): WhereOptions {
  return { usedAt: null, revokedAt: null, expiresAt: { [Op.gt]: now } };
}

/**
 * Password reset links: asked for by their owner (mailed) or handed out by a manager (the owner
 * is told by mail). One live link per person; a link works once, within PASSWORD_RESET_TTL_MINUTES,
 * and only for an active account. Mail follows the invitations' outbox: the row records its
 * delivery, the job is queued after commit, and a sweep queues again what is still pending.
 */
@Injectable()
export class PasswordResetsService {
  private readonly logger = new Logger('PasswordResets');

  constructor(
    @InjectModel(PasswordReset) private readonly resets: typeof PasswordReset,
    @InjectModel(User) private readonly users: typeof User,
    private readonly accounts: AccountsService,
    private readonly transactions: WriteTransactions,
    private readonly jobs: JobQueue,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  resetLink(token: string): string {
    return `${this.config.baseUrl}/reset-password/${token}`;
  }

  /**
   * The forgot-password form. Whoever the email belongs to, the request does the same work (one
   * job queued), so neither its answer nor its timing tells whether the email has an account.
   */
  async request(email: string): Promise<void> {
    try {
      const job: ResetRequestJob = { email: normalizeEmail(email) };
      await this.jobs.add('mail', RESET_REQUEST_JOB, job, {
        attempts: 3,
        delayMs: REQUEST_DELAY_MS,
        priority: MAIL_PRIORITY.awaited,
      });
    } catch (error) {
      this.logger.warn(`could not queue a password reset request (${(error as Error).message})`);
    }
  }

  /** The request job: a fresh link for an active account, mailed after commit; nothing for anyone else. */
  async createRequested(email: string): Promise<boolean> {
    const user = await this.accounts.findByEmail(email);
    if (!user?.isActive) return false;
    const { reset, token } = await this.issue(user.id, null, false);
    await this.enqueueLinkMail(reset, token);
    return true;
  }

  /** A manager's "Reset password link": the link is returned to hand over; its owner is told by mail. */
  async handOut(user: User, issuer: User | null): Promise<HandOutOutcome> {
    if (!user.isActive) return { kind: 'inactive' };
    const { reset, token } = await this.issue(user.id, issuer?.id ?? null, true);
    const mailQueued = await this.enqueueNotice(reset);
    return { kind: 'issued', link: this.resetLink(token), expiresAt: reset.expiresAt, mailQueued };
  }

  /** For the REPL: `await $(PasswordResetsService).issueLink('ada@example.com', 'manager@example.com')`. */
  async issueLink(email: string, issuedBy?: string): Promise<string> {
    const user = await this.accounts.findByEmail(email);
    if (!user) throw new Error(`There is no user ${email}.`);
    const issuer = issuedBy ? await this.accounts.findByEmail(issuedBy) : null;
    if (issuedBy && !issuer) throw new Error(`There is no user ${issuedBy}.`);
    const outcome = await this.handOut(user, issuer);
    if (outcome.kind === 'inactive') throw new Error(`${email} is deactivated; a reset never reactivates an account.`);
    return outcome.link;
  }

  /** Reads only: a GET of the link changes nothing. */
  async lookup(token: string): Promise<{ status: ResetLinkStatus; reset: PasswordReset | null }> {
    const reset =
      token.length <= 100
        ? await this.resets.findOne({
            where: { tokenHash: hashToken(token) },
            include: [{ model: User, as: 'user', attributes: ['id', 'email', 'isActive'] }],
          })
        : null;
    return { status: this.statusOf(reset), reset };
  }

  /**
   * One transaction: an atomic conditional UPDATE uses the link (two simultaneous submits cannot
   * both succeed), then the password is set and every session of the person ends.
   */
  async complete(token: string, password: string): Promise<CompleteOutcome> {
    const { status, reset } = await this.lookup(token);
    if (status !== 'valid' || !reset) return { kind: 'closed', status: status as Exclude<ResetLinkStatus, 'valid'> };
    const now = new Date();
    try {
      await this.transactions.run(async (transaction) => {
        const [claimed] = await this.resets.update(
          { usedAt: now },
          { where: { id: reset.id, tokenHash: reset.tokenHash, ...liveWhere(now) }, transaction },
        );
        // Deactivated between the lookup and now: the password stays as it was.
        const active = await this.users.count({ where: { id: reset.userId, isActive: true }, transaction });
        if (claimed !== 1 || !active) throw new ResetRefused();
        await this.accounts.setPassword(reset.userId, password, undefined, transaction);
      });
    } catch (error) {
      if (!(error instanceof ResetRefused)) throw error;
      const again = await this.lookup(token);
      return { kind: 'closed', status: again.status === 'valid' ? 'used' : again.status };
    }
    return { kind: 'done', user: (await this.accounts.findById(reset.userId))! };
  }

  /** The repeatable maintenance job: re-queue stuck mail, then delete long-expired links. */
  async runMaintenance(): Promise<{ requeued: number; deleted: number }> {
    const requeued = await this.sweepPendingMail();
    const deleted = await this.resets.destroy({
      where: { handedOut: false, expiresAt: { [Op.lt]: new Date(Date.now() - RETENTION_MS) } },
    });
    if (requeued || deleted) this.logger.log(`maintenance: re-queued ${requeued} mails, deleted ${deleted} old links`);
    return { requeued, deleted };
  }

  /**
   * Rows whose mail neither went out nor failed a minute after their token was issued (a crash
   * between commit and enqueue, Redis away). A mailed link gets a fresh token, as that one never
   * reached anyone; a handed-out link's notice is queued again as it was.
   */
  async sweepPendingMail(): Promise<number> {
    const now = new Date();
    const pending = {
      sentAt: null,
      sendError: null,
      tokenIssuedAt: { [Op.lt]: new Date(now.getTime() - SWEEP_AFTER_MS) },
    };
    const stuck = await this.resets.findAll({
      where: {
        ...pending,
        [Op.or]: [{ handedOut: true, createdAt: { [Op.gt]: new Date(now.getTime() - DAY_MS) } }, liveWhere(now)],
      },
      include: [{ model: User, as: 'user', attributes: [], where: { isActive: true } }],
      limit: SWEEP_BATCH,
      order: [['createdAt', 'ASC']],
    });
    let requeued = 0;
    for (const reset of stuck) {
      const token = reset.handedOut ? null : generateToken();
      const [updated] = await this.resets.update(
        { tokenIssuedAt: now, ...(token ? { tokenHash: hashToken(token) } : {}) },
        // The same conditions again: a delivery that claimed the row meanwhile wins.
        { where: { ...pending, id: reset.id, tokenHash: reset.tokenHash } },
      );
      if (!updated) continue;
      if (token) reset.tokenHash = hashToken(token);
      reset.tokenIssuedAt = now;
      if (await (token ? this.enqueueLinkMail(reset, token) : this.enqueueNotice(reset))) requeued++;
    }
    return requeued;
  }

  /** A new link for the person; any earlier live one stops working, in the same transaction. */
  private async issue(
    userId: string,
    issuedBy: string | null,
    handedOut: boolean,
  ): Promise<{ reset: PasswordReset; token: string }> {
    const now = new Date();
    const token = generateToken();
    const reset = await this.transactions.run(async (transaction) => {
      await this.resets.update({ revokedAt: now }, { where: { userId, ...liveWhere(now) }, transaction });
      return this.resets.create(
        {
          tokenHash: hashToken(token),
          userId,
          issuedBy,
          handedOut,
          expiresAt: new Date(now.getTime() + this.config.passwordResetTtlMinutes * 60_000),
          tokenIssuedAt: now,
        },
        { transaction },
      );
    });
    return { reset, token };
  }

  private statusOf(reset: PasswordReset | null): ResetLinkStatus {
    if (!reset) return 'unknown';
    if (reset.usedAt) return 'used';
    if (reset.revokedAt) return 'replaced';
    if (reset.expiresAt.getTime() <= Date.now()) return 'expired';
    if (!reset.user?.isActive) return 'closed';
    return 'valid';
  }

  private enqueueLinkMail(reset: PasswordReset, token: string): Promise<boolean> {
    const job: ResetMailJob = {
      resetId: reset.id,
      sealedToken: sealToken(token, this.config.sessionSecret, RESET_TOKEN_PURPOSE),
    };
    // The job id changes with the token: Bull ignores a second add of the same one.
    return this.jobs.offer('mail', RESET_MAIL_JOB, job, `password-reset:${reset.id}:${reset.tokenHash.slice(0, 16)}`, {
      priority: MAIL_PRIORITY.awaited,
    });
  }

  private enqueueNotice(reset: PasswordReset): Promise<boolean> {
    const job: ResetMailJob = { resetId: reset.id };
    return this.jobs.offer(
      'mail',
      RESET_MAIL_JOB,
      job,
      `password-reset-notice:${reset.id}:${reset.tokenIssuedAt.getTime()}`,
      { priority: MAIL_PRIORITY.awaited },
    );
  }
}
