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
