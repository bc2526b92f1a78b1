import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SequelizeOptions } from 'sequelize-typescript';
import { AppConfig } from '../config/app-config';

/**
 * Connection options from DATABASE_URL: `sqlite:<file>` for the embedded default,
 * `postgres://...` otherwise. SQLite gets WAL, a busy timeout and IMMEDIATE transactions so
 * that concurrent writers wait instead of failing with SQLITE_BUSY.
 */
export function databaseOptions(config: AppConfig): SequelizeOptions & { uri?: string } {
  const common: SequelizeOptions = {
    logging: config.logSql ? (sql: string) => console.log(sql) : false,
    define: { underscored: true },
  };
  if (config.databaseUrl.startsWith('sqlite:')) {
    const storage = resolve(config.databaseUrl.slice('sqlite:'.length));
    mkdirSync(dirname(storage), { recursive: true });
    return {
      ...common,
      dialect: 'sqlite',
      storage,
      transactionType: 'IMMEDIATE' as never,
      retry: { max: 5, match: [/SQLITE_BUSY/] },
      hooks: {
        afterConnect: async (connection: unknown) => {
          const db = connection as {
            run(sql: string, cb: (err: Error | null) => void): void;
            configure(option: 'busyTimeout', ms: number): void;
          };
          db.configure('busyTimeout', 5000);
          await new Promise<void>((ok, fail) => db.run('PRAGMA journal_mode = WAL', (err) => (err ? fail(err) : ok())));
        },
      },
    };
  }
  return {
    ...common,
    dialect: 'postgres',
    uri: config.databaseUrl,
    pool: { max: 10, min: 0, idle: 10_000 },
  };
}
