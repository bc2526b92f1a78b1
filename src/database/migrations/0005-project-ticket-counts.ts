import { QueryInterface } from 'sequelize';
import type { Migration } from '../migrator';

/**
 * Each project keeps its number of tickets per status and a board version, so that the board
 * and the dashboard read a few integers instead of counting thousands of rows on every view,
 * and a rendered board can be reused until something on it changes (tickets/board-fragments.ts).
 * The version goes up with every ticket written in the project and every change of a reporter's
 * name, email or avatar (what a card shows of them).
 *
 * The database keeps them, with triggers: every way a ticket is written (the services, a bulk
 * insert, a cascade from a deleted project, the REPL) moves them in the same transaction, so they
 * cannot drift. PostgreSQL uses statement-level triggers: the project row is updated once per
 * statement, after the ticket rows it touched are locked, so the lock order is always "tickets,
 * then their project" (see ProjectsService.remove). SQLite has row-level triggers only; its
 * writers are serial anyway.
 *
 * The statuses are spelled out here, not imported: a migration must not change after it shipped.
 */
const COUNTERS = [
  ['OPEN', 'open_tickets'],
  ['IN_PROGRESS', 'in_progress_tickets'],
  ['REVIEW', 'review_tickets'],
  ['DONE', 'done_tickets'],
] as const;
const COLUMNS = [...COUNTERS.map(([, column]) => column), 'board_version'];

const OPERATIONS = ['insert', 'update', 'delete'] as const;
type Operation = (typeof OPERATIONS)[number];

/** PostgreSQL: the rows one statement wrote, as (project_id, status, delta). */
const PG_CHANGES: Record<Operation, { changes: string; referencing: string }> = {
  insert: { changes: 'SELECT project_id, status, 1 AS delta FROM new_rows', referencing: 'NEW TABLE AS new_rows' },
  delete: { changes: 'SELECT project_id, status, -1 AS delta FROM old_rows', referencing: 'OLD TABLE AS old_rows' },
  update: {
    changes:
      'SELECT project_id, status, 1 AS delta FROM new_rows UNION ALL SELECT project_id, status, -1 FROM old_rows',
    referencing: 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
  },
};

function postgresTicketFunction(operation: Operation): string {
  const sums = COUNTERS.map(
    ([status, column]) => `SUM(CASE WHEN status = '${status}' THEN delta ELSE 0 END) AS ${column}`,
  ).join(', ');
  const sets = COUNTERS.map(([, column]) => `${column} = p.${column} + d.${column}`).join(', ');
  return `CREATE FUNCTION count_tickets_on_${operation}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE projects p SET ${sets}, board_version = p.board_version + 1
    FROM (SELECT project_id, ${sums} FROM (${PG_CHANGES[operation].changes}) c GROUP BY project_id) d
   WHERE p.id = d.project_id;
  RETURN NULL;
END $$`;
}

const REPORTER_BOARDS =
  'UPDATE projects SET board_version = board_version + 1 WHERE id IN (SELECT project_id FROM tickets WHERE reporter_id = NEW.id)';
const REPORTER_CHANGED =
  'OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email OR OLD.avatar IS DISTINCT FROM NEW.avatar';

const POSTGRES_UP = [
  ...OPERATIONS.flatMap((operation) => [
    postgresTicketFunction(operation),
    `CREATE TRIGGER tickets_counted_on_${operation} AFTER ${operation.toUpperCase()} ON tickets
       REFERENCING ${PG_CHANGES[operation].referencing} FOR EACH STATEMENT EXECUTE FUNCTION count_tickets_on_${operation}()`,
  ]),
  `CREATE FUNCTION touch_boards_of_reporter() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  ${REPORTER_BOARDS};
  RETURN NULL;
END $$`,
  `CREATE TRIGGER users_shown_on_boards AFTER UPDATE ON users FOR EACH ROW WHEN (${REPORTER_CHANGED}) EXECUTE FUNCTION touch_boards_of_reporter()`,
];

const POSTGRES_DOWN = [
  ...OPERATIONS.flatMap((operation) => [
    `DROP TRIGGER IF EXISTS tickets_counted_on_${operation} ON tickets`,
    `DROP FUNCTION IF EXISTS count_tickets_on_${operation}()`,
  ]),
  'DROP TRIGGER IF EXISTS users_shown_on_boards ON users',
  'DROP FUNCTION IF EXISTS touch_boards_of_reporter()',
];

/** SQLite: one ticket row's effect on its project (+1 for NEW, -1 for OLD). */
function sqliteTicketUpdate(row: 'NEW' | 'OLD'): string {
  const sign = row === 'NEW' ? '+' : '-';
  const sets = COUNTERS.map(([status, column]) => `${column} = ${column} ${sign} (${row}.status = '${status}')`).join(
    ', ',
  );
  return `UPDATE projects SET ${sets}, board_version = board_version + 1 WHERE id = ${row}.project_id;`;
}

const SQLITE_UP = [
  `CREATE TRIGGER tickets_counted_on_insert AFTER INSERT ON tickets BEGIN ${sqliteTicketUpdate('NEW')} END`,
  `CREATE TRIGGER tickets_counted_on_delete AFTER DELETE ON tickets BEGIN ${sqliteTicketUpdate('OLD')} END`,
  `CREATE TRIGGER tickets_counted_on_update AFTER UPDATE ON tickets BEGIN ${sqliteTicketUpdate('OLD')} ${sqliteTicketUpdate('NEW')} END`,
  `CREATE TRIGGER users_shown_on_boards AFTER UPDATE OF name, email, avatar ON users WHEN ${REPORTER_CHANGED.replace(/IS DISTINCT FROM/g, 'IS NOT')}
     BEGIN ${REPORTER_BOARDS}; END`,
];

const SQLITE_DOWN = [
  ...OPERATIONS.map((operation) => `DROP TRIGGER IF EXISTS tickets_counted_on_${operation}`),
  'DROP TRIGGER IF EXISTS users_shown_on_boards',
];

export const projectTicketCounts: Migration = {
  name: '0005-project-ticket-counts',
  async up({ context: qi }: { context: QueryInterface }) {
    const sequelize = qi.sequelize;
    const postgres = sequelize.getDialect() === 'postgres';
    await sequelize.transaction(async (transaction) => {
      for (const column of COLUMNS) {
        await sequelize.query(`ALTER TABLE projects ADD COLUMN ${column} INTEGER NOT NULL DEFAULT 0`, { transaction });
      }
      const backfill = COUNTERS.map(
        ([status, column]) =>
          `${column} = (SELECT COUNT(*) FROM tickets t WHERE t.project_id = projects.id AND t.status = '${status}')`,
      );
      await sequelize.query(`UPDATE projects SET ${backfill.join(', ')}`, { transaction });
      for (const statement of postgres ? POSTGRES_UP : SQLITE_UP) await sequelize.query(statement, { transaction });
    });
  },
  async down({ context: qi }: { context: QueryInterface }) {
    const sequelize = qi.sequelize;
    const postgres = sequelize.getDialect() === 'postgres';
    await sequelize.transaction(async (transaction) => {
      for (const statement of postgres ? POSTGRES_DOWN : SQLITE_DOWN) await sequelize.query(statement, { transaction });
      // Plain DROP COLUMN on both: SQLite's table-rebuilding removeColumn would cascade-delete tickets.
      for (const column of COLUMNS)
        await sequelize.query(`ALTER TABLE projects DROP COLUMN ${column}`, { transaction });
    });
  },
};
