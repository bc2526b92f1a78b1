/**
 * Runs tasks one after another. Used for SQLite write transactions: node-sqlite3 runs every
 * statement on libuv's small thread pool, and a transaction waiting for SQLite's write lock
 * blocks a pool thread while it waits. With enough simultaneous writers, the waiters occupy
 * every thread and the transaction holding the lock can no longer commit. Queueing writers in
 * the process avoids that; PostgreSQL does not need it.
 */
export class SerialWrites {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** One queue per process: the embedded database is one file, whichever app instance writes. */
export const sqliteWrites = new SerialWrites();
