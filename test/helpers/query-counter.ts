import type { Sequelize } from 'sequelize-typescript';

/** Counts the SQL statements Sequelize runs while `action` is in progress. */
export async function countQueries(
  sequelize: Sequelize,
  action: () => Promise<unknown>,
): Promise<{ count: number; statements: string[] }> {
  const statements: string[] = [];
  const hook = (options: { type?: string }, query: { sql?: string }) => {
    statements.push(query?.sql ?? String(options?.type));
  };
  sequelize.addHook('beforeQuery', 'query-counter', hook as never);
  try {
    await action();
  } finally {
    sequelize.removeHook('beforeQuery', 'query-counter');
  }
  return { count: statements.length, statements };
}

/** The SQL of the statements Sequelize ran while `action` was in progress (known once each has run). */
export async function statementsOf(sequelize: Sequelize, action: () => Promise<unknown>): Promise<string[]> {
  const statements: string[] = [];
  const hook = (_options: unknown, query: { sql?: string }) => {
    statements.push(query?.sql ?? '');
  };
  sequelize.addHook('afterQuery', 'statement-recorder', hook as never);
  try {
    await action();
  } finally {
    sequelize.removeHook('afterQuery', 'statement-recorder');
  }
  return statements;
}
