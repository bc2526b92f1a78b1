import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { hashToken, openToken } from '../common/security/secret-token';
import { AppConfig } from '../config/app-config';
import { MailService } from '../mail/mail.service';
import { PasswordReset } from './password-reset.model';
import { RESET_TOKEN_PURPOSE, ResetMailJob } from './password-resets.service';
import { User } from './user.model';

const formatTime = (date: Date) =>
  date.toLocaleString('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';

/** The mail queue's password reset work: the link its owner asked for, or the notice of a handed-out one. */
@Injectable()
export class PasswordResetMailJob {
  constructor(
    @InjectModel(PasswordReset) private readonly resets: typeof PasswordReset,
    private readonly mail: MailService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Sends the mail of a reset unless it went out already, the account is deactivated, or (for a
   * mailed link) a newer token replaced the one in the job or the link can no longer be used.
   * Records sent_at, or the error (and throws, so the queue retries with backoff).
   */
  async deliver(job: ResetMailJob): Promise<'sent' | 'skipped'> {
    const reset = await this.resets.findByPk(job.resetId, {
      include: [
        { model: User, as: 'user', attributes: ['id', 'name', 'email', 'isActive'] },
        { model: User, as: 'issuer', attributes: ['id', 'name', 'email'] },
      ],
    });
    if (!reset?.user?.isActive || reset.sentAt) return 'skipped';
    const token = job.sealedToken ? openToken(job.sealedToken, this.config.sessionSecret, RESET_TOKEN_PURPOSE) : null;
    if (!reset.handedOut) {
      if (!token || hashToken(token) !== reset.tokenHash) return 'skipped';
      if (reset.usedAt || reset.revokedAt || reset.expiresAt.getTime() <= Date.now()) return 'skipped';
    }
    // Claim the row before sending (compare-and-set on tokenIssuedAt): the sweep only takes rows
    // whose token is over a minute old, so a sweep and this send never both mail one reset.
    const [claimed] = await this.resets.update(
      { tokenIssuedAt: new Date() },
      { where: { id: reset.id, tokenHash: reset.tokenHash, tokenIssuedAt: reset.tokenIssuedAt, sentAt: null } },
    );
    if (!claimed) return 'skipped';

    const user = reset.user;
    try {
      if (reset.handedOut) {
        await this.mail.send({
          to: user.email,
          subject: 'A password reset link was created for your hticket account',
          template: 'password-reset-issued',
          context: {
            name: user.name || user.email,
            issuer: reset.issuer ? reset.issuer.name || reset.issuer.email : 'An administrator',
            issuedAt: formatTime(reset.createdAt),
            expiresAt: formatTime(reset.expiresAt),
          },
        });
      } else {
        await this.mail.send({
          to: user.email,
          subject: 'Reset your hticket password',
          template: 'password-reset',
          context: {
            name: user.name || user.email,
            link: `${this.config.baseUrl}/reset-password/${token}`,
            expiresAt: formatTime(reset.expiresAt),
          },
        });
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.resets.update({ sendError: message.slice(0, 1000) }, { where: { id: reset.id } });
      throw error;
    }
    await this.resets.update({ sentAt: new Date(), sendError: null }, { where: { id: reset.id } });
    return 'sent';
  }
}
