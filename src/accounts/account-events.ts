import type { Transaction } from 'sequelize';
import type { Role } from './roles';

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

/**
 * A user's role changed (to `role`), emitted with `emitAsync` inside the change's transaction. A
 * manager who becomes a member keeps access only to the projects they are a member of; the
 * modules above drop what depended on the rest (tickets: open assignments), with `transaction`.
 */
export class UserRoleChanged {
  static readonly event = 'accounts.user-role-changed';

  constructor(
    readonly userId: string,
    readonly role: Role,
    readonly transaction: Transaction,
  ) {}
}
