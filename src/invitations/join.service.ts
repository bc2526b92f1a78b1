import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { Op, Transaction } from 'sequelize';
import { AccountsService, normalizeEmail } from '../accounts/accounts.service';
import type { User } from '../accounts/user.model';
import { Conflict, InvalidInput } from '../common/errors';
import { WriteTransactions } from '../database/write-transactions';
import { MembershipsService } from '../projects/memberships.service';
import { Clock } from './clock';
import { JoinDto } from './dto/join.dto';
import { isExpired } from './invitation-rules';
import { hashToken } from './invitation-token';
import { Invitation } from './invitation.model';
import { InvitationProject } from './invitation-project.model';

/** `has-account`: whatever the link's state, its email has an account: the way in is to sign in. */
export type TokenStatus = 'valid' | 'unknown' | 'used' | 'revoked' | 'expired' | 'has-account';

export type JoinOutcome = { kind: 'joined'; user: User } | { kind: 'closed'; status: Exclude<TokenStatus, 'valid'> };

/** Use case 1.2: an invitee holding a valid token creates their account. */
@Injectable()
export class JoinService {
  constructor(
    @InjectModel(Invitation) private readonly invitations: typeof Invitation,
    @InjectModel(InvitationProject) private readonly invitationProjects: typeof InvitationProject,
    private readonly accounts: AccountsService,
    private readonly memberships: MembershipsService,
    private readonly transactions: WriteTransactions,
    private readonly clock: Clock,
  ) {}

  /** Reads only: a GET of the join link changes nothing. */
  async lookup(token: string): Promise<{ status: TokenStatus; invitation: Invitation | null }> {
    const invitation =
      token.length <= 100 ? await this.invitations.findOne({ where: { tokenHash: hashToken(token) } }) : null;
    if (invitation?.email && (await this.accounts.emailTaken(invitation.email)))
      return { status: 'has-account', invitation };
    return { status: this.statusOf(invitation), invitation };
  }

  /**
   * One transaction: an atomic conditional UPDATE claims the invitation (so two simultaneous
   * submits cannot both succeed), then the user is created with the invitation's email and
   * role and added to its project. Any failure rolls the claim back. Throws InvalidInput when
   * the email is missing, Conflict('email-taken') when an account has it already.
   */
  async join(token: string, input: JoinDto): Promise<JoinOutcome> {
    const { status, invitation } = await this.lookup(token);
    if (status !== 'valid' || !invitation) return { kind: 'closed', status: status as Exclude<TokenStatus, 'valid'> };
    const email = invitation.email || (input.email ? normalizeEmail(input.email) : '');
    if (!email) throw new InvalidInput({ email: 'email-required' });

    const now = this.clock.now();
    const user = await this.transactions.run(async (transaction) => {
      const [claimed] = await this.invitations.update(
        { isUsed: true, usedAt: now },
        {
          where: {
            id: invitation.id,
            tokenHash: invitation.tokenHash,
            isUsed: false,
            revokedAt: null,
            expiresAt: { [Op.gt]: now },
          },
          transaction,
        },
      );
      if (claimed !== 1) return null;
      if (await this.accounts.emailTaken(email, transaction)) throw new Conflict('email-taken');
      const created = await this.accounts.createUser(
        { email, name: input.name, password: input.password, role: invitation.role, signedIn: true },
        transaction,
      );
      const projectIds = await this.closeOthersFor(email, invitation.id, now, transaction);
      for (const projectId of projectIds) await this.memberships.addNewMember(projectId, created.id, transaction);
      return created;
    });
    if (user) return { kind: 'joined', user };
    // Someone else claimed it between the lookup and our UPDATE: report what it is now.
    const again = await this.lookup(token);
    return {
      kind: 'closed',
      status: again.status === 'valid' ? 'used' : again.status,
    };
  }

  /**
   * The email has an account now: every other open invitation for it is marked used (their
   * links then say to sign in). Returns the projects the person joins: those of this
   * invitation and of the others still unexpired, that exist (links die with their project).
   */
  private async closeOthersFor(email: string, invitationId: string, now: Date, transaction: Transaction) {
    const others = await this.invitations.findAll({
      where: { email, isUsed: false, revokedAt: null, id: { [Op.ne]: invitationId } },
      attributes: ['id', 'expiresAt'],
      transaction,
    });
    if (others.length)
      await this.invitations.update(
        { isUsed: true, usedAt: now },
        { where: { id: others.map((other) => other.id) }, transaction },
      );
    const live = others.filter((other) => !isExpired(other, now)).map((other) => other.id);
    const links = await this.invitationProjects.findAll({
      where: { invitationId: [invitationId, ...live] },
      attributes: ['projectId'],
      transaction,
    });
    return [...new Set(links.map((link) => link.projectId))];
  }

  private statusOf(invitation: Invitation | null): TokenStatus {
    if (!invitation) return 'unknown';
    if (invitation.isUsed) return 'used';
    if (invitation.revokedAt) return 'revoked';
    if (isExpired(invitation, this.clock.now())) return 'expired';
    return 'valid';
  }
}
