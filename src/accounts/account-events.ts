import type { Transaction } from 'sequelize';

/**
 * A user lost access. Emitted with `emitAsync` inside the deactivation's transaction: listeners
 * write with `transaction`, so their effects commit or roll back with it, and a listener's
 * error fails the deactivation.
 */
export class UserDeactivated {
  static readonly event = 'accounts.user-deactivated';

  constructor(
    readonly userId: string,
    readonly transaction: Transaction,
  ) {}
}
