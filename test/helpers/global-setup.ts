import { rmSync } from 'node:fs';
import { Sequelize } from 'sequelize-typescript';
import { databaseOptions } from '../../src/database/database-options';
import { createMigrator } from '../../src/database/migrator';
import { TEST_SQLITE_FILE, testConfig, usesPostgres } from './test-config';

/** Starts every e2e run on an empty, fully migrated database. */
export default async function globalSetup(): Promise<void> {
  if (!usesPostgres()) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(TEST_SQLITE_FILE + suffix, { force: true });
  }
  const { uri, ...options } = databaseOptions(testConfig());
  const sequelize = uri ? new Sequelize(uri, options) : new Sequelize(options);
  try {
    if (usesPostgres()) await sequelize.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    await createMigrator(sequelize).up();
  } finally {
    await sequelize.close();
  }
}
