import { Sequelize } from 'sequelize-typescript';
import { loadConfigOrExit } from '../config/load-config';
import { databaseOptions } from './database-options';
import { createMigrator } from './migrator';

/** `node dist/database/migrate.js up|down|status`: the db:migrate scripts. */
async function main(): Promise<void> {
  const command = process.argv[2] ?? 'up';
  const config = loadConfigOrExit();
  const { uri, ...options } = databaseOptions(config);
  const sequelize = uri ? new Sequelize(uri, options) : new Sequelize(options);
  const migrator = createMigrator(sequelize, console);
  try {
    if (command === 'up') await migrator.up();
    else if (command === 'down') await migrator.down();
    else if (command === 'status') {
      console.log(
        'executed:',
        (await migrator.executed()).map((m) => m.name),
      );
      console.log(
        'pending:',
        (await migrator.pending()).map((m) => m.name),
      );
    } else throw new Error(`unknown command ${command}: use up, down or status`);
  } finally {
    await sequelize.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
