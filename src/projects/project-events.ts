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
