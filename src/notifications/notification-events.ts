import type { Transaction } from 'sequelize';

/**
 * Notifications were written for `recipientIds`, in `transaction` (emitted with `emitAsync` after
 * the rows): their inbox counts change once it commits.
 */
export class NotificationsCreated {
  static readonly event = 'notifications.created';

  constructor(
    readonly recipientIds: string[],
    readonly transaction: Transaction,
  ) {}
}
