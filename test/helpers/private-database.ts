import { randomBytes } from 'node:crypto';
import { Sequelize } from 'sequelize-typescript';
import { databaseOptions } from '../../src/database/database-options';
import { createMigrator } from '../../src/database/migrator';
import { testConfig, testDatabaseUrl } from './test-config';

export interface PrivateDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A Sequelize of the test configuration on `databaseUrl` (no models added). */
export function connect(databaseUrl: string): Sequelize {
  const { uri, ...options } = databaseOptions(testConfig({ DATABASE_URL: databaseUrl }));
  return uri ? new Sequelize(uri, options) : new Sequelize(options);
}

/**
 * A PostgreSQL database of the suite's own beside the test database, empty or fully migrated:
 * for suites that go down (migrations) or whose work reads every row of a table (the mail
 * sweep), which the other suites' rows in the shared database would disturb.
 */
export async function createPrivateDatabase({ migrate }: { migrate: boolean }): Promise<PrivateDatabase> {
  const name = `hticket_private_${randomBytes(4).toString('hex')}`;
  const admin = connect(testDatabaseUrl());
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  if (migrate) {
    const sequelize = connect(url.toString());
    try {
      await createMigrator(sequelize).up();
    } finally {
      await sequelize.close();
    }
  }
  return {
    url: url.toString(),
    drop: async () => {
      const again = connect(testDatabaseUrl());
      try {
        await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await again.close();
      }
    },
  };
}
