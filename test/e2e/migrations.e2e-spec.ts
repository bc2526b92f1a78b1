import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { QueryTypes, UniqueConstraintError } from 'sequelize';
import { Sequelize } from 'sequelize-typescript';
import { createMigrator } from '../../src/database/migrator';
import { MODELS } from '../../src/database/models';
import { connect as connectTo, createPrivateDatabase } from '../helpers/private-database';
import { TEST_SQLITE_FILE, usesPostgres } from '../helpers/test-config';

function connect(databaseUrl: string): Sequelize {
  const sequelize = connectTo(databaseUrl);
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

/**
 * Columns the database computes and only its queries read, which no model declares (a model
 * would select them with every row): PostgreSQL's search vector (migration 0017).
 */
const DATABASE_ONLY: Record<string, string[]> = { tickets: ['search_vector'] };

describe('migrations', () => {
  let sequelize: Sequelize;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    // A database of its own, so that going down does not disturb the other suites.
    if (usesPostgres()) {
      const database = await createPrivateDatabase({ migrate: false });
      sequelize = connect(database.url);
      dropDatabase = database.drop;
    } else {
      const file = join(TEST_SQLITE_FILE, '..', `hticket_migrations_${randomBytes(4).toString('hex')}.sqlite`);
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
      const columns = Object.keys(first[table]).filter((column) => !DATABASE_ONLY[table]?.includes(column));
      expect({ table, columns: columns.sort() }).toEqual({ table, columns: declared.sort() });
    }

    await migrator.down({ to: 0 });
    const left = (await sequelize.getQueryInterface().showAllTables()).map(String);
    expect(left.filter((table) => table !== 'schema_migrations')).toEqual([]);

    await migrator.up();
    expect(await describeSchema(sequelize)).toEqual(first);
    expect(await migrator.pending()).toEqual([]);
  }, 60_000);

  it('0016 copies each project_id and merges earlier open invitations of one email into the newest', async () => {
    const migrator = createMigrator(sequelize);
    await migrator.up();
    await migrator.down({ to: '0016-invitation-projects' });
    const qi = sequelize.getQueryInterface();
    const uuid = () => randomUUID();
    const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, minutes));
    const [apollo, zeus, hermes] = [uuid(), uuid(), uuid()];
    await qi.bulkInsert(
      'projects',
      [apollo, zeus, hermes].map((id, i) => ({ id, name: `P${i}`, created_at: at(0), updated_at: at(0) })),
    );
    const invitation = (id: string, email: string, minutes: number, fields: Record<string, unknown> = {}) => ({
      id,
      email,
      token_hash: randomBytes(32).toString('hex'),
      role: 'MEMBER',
      is_used: false,
      expires_at: at(59),
      created_at: at(minutes),
      updated_at: at(minutes),
      ...fields,
    });
    const [older, newer, used, single, bootstrap1, bootstrap2] = [uuid(), uuid(), uuid(), uuid(), uuid(), uuid()];
    await qi.bulkInsert('invitations', [
      invitation(older, 'ann@example.test', 1, { project_id: apollo, role: 'MANAGER' }),
      invitation(newer, 'ann@example.test', 2, { project_id: zeus }),
      invitation(used, 'ann@example.test', 3, { project_id: hermes, is_used: true }),
      invitation(single, 'bo@example.test', 1, { project_id: hermes }),
      invitation(bootstrap1, '', 1),
      invitation(bootstrap2, '', 2),
    ]);

    await migrator.up();

    const links = await sequelize.query<{ invitation_id: string; project_id: string }>(
      'SELECT invitation_id, project_id FROM invitation_projects',
      { type: QueryTypes.SELECT },
    );
    const projectsOf = (id: string) =>
      links
        .filter((link) => link.invitation_id === id)
        .map((link) => link.project_id)
        .sort();
    expect(projectsOf(newer)).toEqual([apollo, zeus].sort());
    expect(projectsOf(single)).toEqual([hermes]);
    expect(projectsOf(used)).toEqual([hermes]);
    const rows = await sequelize.query<{ id: string; role: string; revoked_at: unknown }>(
      'SELECT id, role, revoked_at FROM invitations',
      { type: QueryTypes.SELECT },
    );
    const row = (id: string) => rows.find((r) => r.id === id)!;
    expect(row(newer)).toMatchObject({ role: 'MANAGER', revoked_at: null });
    expect(row(older).revoked_at).not.toBeNull();
    expect([row(single), row(bootstrap1), row(bootstrap2)].map((r) => r.revoked_at)).toEqual([null, null, null]);

    // The index now refuses a second open invitation for an email, not one for another or a closed one.
    const insert = (fields: Record<string, unknown>) =>
      qi.bulkInsert('invitations', [invitation(uuid(), 'ann@example.test', 5, fields)]);
    await expect(insert({})).rejects.toThrow(UniqueConstraintError);
    await insert({ revoked_at: at(5) });
    await insert({ is_used: true });

    await migrator.down({ to: '0016-invitation-projects' });
    await insert({});
    await qi.bulkDelete('invitations', { email: 'ann@example.test', created_at: at(5) });
    await migrator.up();
    expect(await migrator.pending()).toEqual([]);
  }, 60_000);
});
