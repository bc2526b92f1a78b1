import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { WriteTransactions } from '../database/write-transactions';
import { NOTIFICATION_KINDS, NotificationKind } from './notification-kinds';
import { NotificationPreference } from './notification-preference.model';

/** Which notifications a person wants by email (`notification_preferences`): all of them unless they chose. */
@Injectable()
export class NotificationPreferencesService {
  constructor(
    @InjectModel(NotificationPreference) private readonly preferences: typeof NotificationPreference,
    private readonly transactions: WriteTransactions,
  ) {}

  /** The kinds this person wants mailed: one statement. */
  async mailKindsOf(userId: string): Promise<NotificationKind[]> {
    const row = await this.preferences.findByPk(userId);
    if (!row) return [...NOTIFICATION_KINDS];
    const chosen = new Set(row.mailKinds.split(','));
    return NOTIFICATION_KINDS.filter((kind) => chosen.has(kind));
  }

  /** Replaces this person's choice (an empty list: no email at all). */
  async setMailKinds(userId: string, kinds: NotificationKind[]): Promise<void> {
    const mailKinds = NOTIFICATION_KINDS.filter((kind) => kinds.includes(kind)).join(',');
    await this.transactions.run((transaction) =>
      this.preferences.upsert({ userId, mailKinds, updatedAt: new Date() }, { transaction }),
    );
  }

  /** Stops these kinds of mail for this person, keeping their other choices (one-click unsubscribe). */
  async stopMailKinds(userId: string, kinds: NotificationKind[]): Promise<void> {
    const kept = (await this.mailKindsOf(userId)).filter((kind) => !kinds.includes(kind));
    await this.setMailKinds(userId, kept);
  }
}
