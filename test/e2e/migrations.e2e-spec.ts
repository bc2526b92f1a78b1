import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Sequelize } from 'sequelize-typescript';
import { databaseOptions } from '../../src/database/database-options';
import { createMigrator } from '../../src/database/migrator';
import { MODELS } from '../../src/database/models';
import { testConfig, testDatabaseUrl, TEST_SQLITE_FILE, usesPostgres } from '../helpers/test-config';

function connect(databaseUrl: string): Sequelize {
  const { uri, ...options } = databaseOptions(testConfig({ DATABASE_URL: databaseUrl }));
  const sequelize = uri ? new Sequelize(uri, options) : new Sequelize(options);
  sequelize.addModels(MODELS);
  return sequelize;
}

/** Every table's columns with type and nullability, as the database reports them. */
async function describeSchema(sequelize: Sequelize): Promise<Record<string, Record<string, string>>> {
  const qi = sequelize.getQueryInterface();
  const schema: Record<string, Record<string, string>> = {};
  for (const model of MODELS) {
    const table = model.getTableName() as string;
    const columns = await qi.describeTable(table);
    schema[table] = Object.fromEntries(
      Object.entries(columns).map(([name, column]) => [
        name,
        `${column.type} ${column.allowNull ? 'NULL' : 'NOT NULL'}`,
      ]),
    );
  }
  return schema;
}

describe('migrations', () => {
  let sequelize: Sequelize;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    // A database of its own, so that going down does not disturb the other suites.
    const name = `hticket_migrations_${randomBytes(4).toString('hex')}`;
    if (usesPostgres()) {
      const admin = connect(testDatabaseUrl());
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.close();
      const url = new URL(testDatabaseUrl());
      url.pathname = `/${name}`;
      sequelize = connect(url.toString());
      dropDatabase = async () => {
        const again = connect(testDatabaseUrl());
        await again.query(`DROP DATABASE IF EXISTS ${name}`);
        await again.close();
      };
    } else {
      const file = join(TEST_SQLITE_FILE, '..', `${name}.sqlite`);
      sequelize = connect(`sqlite:${file}`);
      dropDatabase = () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
        return Promise.resolve();
      };
    }
  });

  afterAll(async () => {
    await sequelize.close();
    await dropDatabase();
  });

  it('create exactly the columns the models declare, go down to nothing and up again identically', async () => {
    const migrator = createMigrator(sequelize);
    await migrator.up();
    const first = await describeSchema(sequelize);

    for (const model of MODELS) {
      const table = model.getTableName() as string;
      const declared = Object.values(model.getAttributes()).map((attribute) => attribute.field ?? '');
      expect({ table, columns: Object.keys(first[table]).sort() }).toEqual({ table, columns: declared.sort() });
    }

    await migrator.down({ to: 0 });
    const left = (await sequelize.getQueryInterface().showAllTables()).map(String);
    expect(left.filter((table) => table !== 'schema_migrations')).toEqual([]);

    await migrator.up();
    expect(await describeSchema(sequelize)).toEqual(first);
    expect(await migrator.pending()).toEqual([]);
  }, 60_000);
});
