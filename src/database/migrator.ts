import { QueryInterface } from 'sequelize';
import { Sequelize } from 'sequelize-typescript';
import { SequelizeStorage, Umzug } from 'umzug';

export interface Migration {
  name: string;
  up(params: { context: QueryInterface }): Promise<void>;
  down(params: { context: QueryInterface }): Promise<void>;
}

/** Umzug over the application's migrations, recording what ran in `schema_migrations`. */
export function createMigrator(sequelize: Sequelize, logger: Console | undefined = undefined): Umzug<QueryInterface> {
  // Imported lazily so that the list can import this file's types without a cycle at load time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { migrations } = require('./migrations') as { migrations: Migration[] };
  return new Umzug({
    migrations: migrations.map((m) => ({
      name: m.name,
      up: (params) => m.up(params),
      down: (params) => m.down(params),
    })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger,
  });
}

/** A migration's SQL for each database, up and down. */
export interface DialectStatements {
  postgres: { up: string[]; down: string[] };
  sqlite: { up: string[]; down: string[] };
}

/** A migration that runs its dialect's statements in order, in one transaction each way. */
export function statementsMigration(name: string, statements: DialectStatements): Migration {
  const run = async (qi: QueryInterface, direction: 'up' | 'down') => {
    const sequelize = qi.sequelize;
    const dialect = sequelize.getDialect() === 'postgres' ? 'postgres' : 'sqlite';
    await sequelize.transaction(async (transaction) => {
      for (const statement of statements[dialect][direction]) await sequelize.query(statement, { transaction });
    });
  };
  return { name, up: ({ context }) => run(context, 'up'), down: ({ context }) => run(context, 'down') };
}
