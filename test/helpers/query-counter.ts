import type { Sequelize } from 'sequelize-typescript';
import { PreparedReads } from '../../src/database/prepared-reads';

/**
 * Records the statements PreparedReads runs on PostgreSQL (its own pool, beside Sequelize's)
 * until the returned function is called: they are statements of the request like any other.
 */
function recordPreparedReads(record: (sql: string) => void): () => void {
  const rows = Object.getOwnPropertyDescriptor(PreparedReads.prototype, 'rows')!;
  const original = rows.value as PreparedReads['rows'];
  Object.defineProperty(PreparedReads.prototype, 'rows', {
    ...rows,
    value(this: PreparedReads, ...args: Parameters<PreparedReads['rows']>) {
      // On SQLite they go through Sequelize, whose hook counts them.
      if (this.prepared) record(args[0].text);
      return original.apply(this, args);
    },
  });
  return () => Object.defineProperty(PreparedReads.prototype, 'rows', rows);
}

/** Counts the SQL statements Sequelize and PreparedReads run while `action` is in progress. */
export async function countQueries(
  sequelize: Sequelize,
  action: () => Promise<unknown>,
): Promise<{ count: number; statements: string[] }> {
  const statements: string[] = [];
  const hook = (options: { type?: string }, query: { sql?: string }) => {
    statements.push(query?.sql ?? String(options?.type));
  };
  sequelize.addHook('beforeQuery', 'query-counter', hook as never);
  const stopRecording = recordPreparedReads((sql) => statements.push(sql));
  try {
    await action();
  } finally {
    sequelize.removeHook('beforeQuery', 'query-counter');
    stopRecording();
  }
  return { count: statements.length, statements };
}

/**
 * The SQL of the statements Sequelize and PreparedReads ran while `action` was in progress
 * (Sequelize's known once each has run).
 */
export async function statementsOf(sequelize: Sequelize, action: () => Promise<unknown>): Promise<string[]> {
  const statements: string[] = [];
  const hook = (_options: unknown, query: { sql?: string }) => {
    statements.push(query?.sql ?? '');
  };
  sequelize.addHook('afterQuery', 'statement-recorder', hook as never);
  const stopRecording = recordPreparedReads((sql) => statements.push(sql));
  try {
    await action();
  } finally {
    sequelize.removeHook('afterQuery', 'statement-recorder');
    stopRecording();
  }
  return statements;
}
