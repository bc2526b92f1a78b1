import type { Transaction } from 'sequelize';

/**
 * A project is about to be deleted, in `transaction`. Emitted with `emitAsync` before the
 * project row is touched: listeners delete or detach what depends on it with `transaction`
 * (tickets first keeps the lock order of every ticket write: the ticket row, then its project).
 */
export class ProjectDeleting {
  static readonly event = 'projects.project-deleting';

  constructor(
    readonly projectId: string,
    readonly transaction: Transaction,
  ) {}
}

/**
 * A member was removed from a project, in `transaction` (emitted with `emitAsync` after the
 * membership row is gone). Listeners drop what depended on the membership with `transaction`
 * (tickets: the person's open assignments there, unless they keep access as a manager).
 */
export class MemberRemoved {
  static readonly event = 'projects.member-removed';

  constructor(
    readonly projectId: string,
    readonly userId: string,
    readonly transaction: Transaction,
  ) {}
}
