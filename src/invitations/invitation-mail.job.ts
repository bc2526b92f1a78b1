import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { AccountsService } from '../accounts/accounts.service';
import { AppConfig } from '../config/app-config';
import { MailService } from '../mail/mail.service';
import { ProjectsService } from '../projects/projects.service';
import { Clock } from './clock';
import { expiryFrom, isExpired, usableWhere } from './invitation-rules';
import { hashToken, openToken } from './invitation-token';
import { Invitation } from './invitation.model';
import { projectNamesOf } from './project-names';
import type { MailJob } from './invitations.service';

const formatTime = (date: Date) =>
  date.toLocaleString('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';

/** The mail queue's work: invitation mails (idempotent by state) and "added to a project" notices. */
@Injectable()
export class InvitationMailJob {
  private readonly logger = new Logger('InvitationMail');

  constructor(
    @InjectModel(Invitation) private readonly invitations: typeof Invitation,
    private readonly accounts: AccountsService,
    private readonly projects: ProjectsService,
    private readonly mail: MailService,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Sends the invitation mail for the token in the job, unless it went out already, a newer
   * token replaced it, or the invitation can no longer be accepted. Records sent_at, or the
   * error (and throws, so the queue retries with backoff).
   */
  async deliver(job: MailJob): Promise<'sent' | 'skipped'> {
    const token = openToken(job.sealedToken, this.config.sessionSecret);
    if (!token) {
      this.logger.warn(
        `invitation ${job.invitationId}: token in the job cannot be opened (SESSION_SECRET changed?); skipped`,
      );
      return 'skipped';
    }
    const tokenHash = hashToken(token);
    const invitation = await this.invitations.findByPk(job.invitationId, {
      include: [
        { association: 'sender', attributes: ['id', 'name', 'email'] },
        { association: 'projects', attributes: ['id', 'name'], through: { attributes: [] } },
      ],
    });
    const now = this.clock.now();
    if (!invitation || invitation.tokenHash !== tokenHash || invitation.sentAt) return 'skipped';
    if (invitation.isUsed || invitation.revokedAt || isExpired(invitation, now)) return 'skipped';

    // Claim the token before sending: the sweep only replaces a token issued (or claimed) over a
    // minute ago, with a conditional UPDATE, so a sweep and this send never both mail one invitation.
    // The link is valid for the full TTL from now, when it is mailed, even after a long outage.
    const expiresAt = expiryFrom(now, this.config.inviteTtlHours);
    const [claimed] = await this.invitations.update(
      { tokenIssuedAt: now, expiresAt },
      { where: { ...usableWhere(now), id: invitation.id, tokenHash, sentAt: null } },
    );
    if (!claimed) return 'skipped';
    invitation.expiresAt = expiresAt;

    const inviter = invitation.sender ? invitation.sender.name || invitation.sender.email : 'A manager';
    const projectName = projectNamesOf(invitation.projects);
    try {
      await this.mail.send({
        to: invitation.email,
        subject: projectName
          ? `${inviter} invited you to ${projectName} on hticket`
          : `${inviter} invited you to hticket`,
        template: 'invitation',
        context: {
          inviter,
          projectName,
          manyProjects: (invitation.projects?.length ?? 0) > 1,
          role: invitation.role === 'MANAGER' ? 'manager' : 'member',
          link: `${this.config.baseUrl}/join/${token}`,
          expiresAt: formatTime(invitation.expiresAt),
        },
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.invitations.update({ sendError: message.slice(0, 1000) }, { where: { id: invitation.id, tokenHash } });
      throw error;
    }
    await this.invitations.update(
      { sentAt: this.clock.now(), sendError: null },
      { where: { id: invitation.id, tokenHash } },
    );
    return 'sent';
  }

  /** Tells an existing user that a manager added them to a project. */
  async deliverProjectAdded(job: { userId: string; projectId: string; senderId: string | null }): Promise<void> {
    const [user, project, sender] = await Promise.all([
      this.accounts.findById(job.userId),
      this.projects.findById(job.projectId),
      job.senderId ? this.accounts.findById(job.senderId) : Promise.resolve(null),
    ]);
    if (!user || !project || !user.isActive) return;
    const inviter = sender ? sender.name || sender.email : 'A manager';
    await this.mail.send({
      to: user.email,
      subject: `${inviter} added you to ${project.name} on hticket`,
      template: 'project-added',
      context: {
        inviter,
        name: user.name || user.email,
        projectName: project.name,
        link: `${this.config.baseUrl}/projects/${project.id}`,
      },
    });
  }
}
