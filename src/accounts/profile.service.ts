import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { InvalidInput, InvalidReason, NotFound } from '../common/errors';
import { AccountsService } from './accounts.service';
import { AvatarStorage } from './avatar-storage';
import { ProfileDto } from './dto/profile.dto';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, PasswordHasher } from './passwords';
import { SESSION_HANDLE, SessionView, toSessionView } from './session-view';
import { User } from './user.model';
import { WriteTransactions } from '../database/write-transactions';

/** A person's own profile: name, password and avatar. */
@Injectable()
export class ProfileService {
  constructor(
    @InjectModel(User) private readonly users: typeof User,
    private readonly accounts: AccountsService,
    private readonly transactions: WriteTransactions,
    private readonly avatars: AvatarStorage,
    private readonly passwords: PasswordHasher,
  ) {}

  /**
   * Saves the name and, when asked, the new password. A password change ends every other
   * session of the user (the one in `currentSessionId` stays, once the caller `keepSignedIn()`s
   * it with the user as updated here). Throws InvalidInput with the problem of each field instead
   * when there are any; then nothing is written.
   */
  async update(user: User, form: ProfileDto, currentSessionId: string): Promise<void> {
    let passwordHash: string | undefined;
    if (form.wantsPasswordChange) {
      await this.checkPasswordChange(user, form);
      passwordHash = await this.passwords.hash(form.newPassword!);
    }
    await this.transactions.run(async (transaction) => {
      await user.update({ name: form.name }, { transaction });
      if (passwordHash) await this.accounts.storePasswordHash(user.id, passwordHash, currentSessionId, transaction);
    });
    if (passwordHash) await user.reload();
  }

  private async checkPasswordChange(user: User, form: ProfileDto): Promise<void> {
    const problems: Record<string, InvalidReason> = {};
    const { currentPassword = '', newPassword = '', confirmPassword = '' } = form;
    if (newPassword.length < MIN_PASSWORD_LENGTH) problems.newPassword = 'password-too-short';
    else if (newPassword.length > MAX_PASSWORD_LENGTH) problems.newPassword = 'password-too-long';
    else if (confirmPassword !== newPassword) problems.confirmPassword = 'passwords-differ';
    // Read the hash afresh: the signed-in instance may predate a change made elsewhere.
    const stored = await this.users.findByPk(user.id, { attributes: ['passwordHash'] });
    if (!currentPassword || !stored || !(await this.passwords.verify(stored.passwordHash, currentPassword))) {
      problems.currentPassword = 'wrong-password';
    }
    if (Object.keys(problems).length) throw new InvalidInput(problems);
  }

  /** The person's sessions for the profile: this one first, then the others, most recently used first. */
  async listSessions(user: User, currentSessionId: string): Promise<SessionView[]> {
    const views = (await this.accounts.listSessions(user.id)).map((row) => toSessionView(row, currentSessionId));
    return [...views.filter((view) => view.current), ...views.filter((view) => !view.current)];
  }

  /** Signs out one of the person's sessions; a handle that names none of theirs is a 404. */
  async endSession(user: User, handle: string): Promise<void> {
    if (!SESSION_HANDLE.test(handle) || !(await this.accounts.endSession(user.id, handle))) {
      throw new NotFound('session');
    }
  }

  /**
   * Signs out every other session of the person. Returns the user as now stored, with which
   * the caller `keepSignedIn()`s this session.
   */
  async endOtherSessions(user: User, currentSessionId: string): Promise<User> {
    await this.transactions.run((transaction) => this.accounts.endSessions(user.id, currentSessionId, transaction));
    return user.reload();
  }

  /** Stores a new avatar (already judged and converted by AvatarStorage) and removes the old file. */
  async replaceAvatar(user: User, content: Buffer): Promise<void> {
    const fileName = await this.avatars.store(content);
    const previous = user.avatar;
    try {
      await user.update({ avatar: fileName });
    } catch (error) {
      await this.avatars.remove(fileName);
      throw error;
    }
    await this.avatars.remove(previous);
  }

  async removeAvatar(user: User): Promise<void> {
    const previous = user.avatar;
    if (!previous) return;
    await user.update({ avatar: null });
    await this.avatars.remove(previous);
  }
}
