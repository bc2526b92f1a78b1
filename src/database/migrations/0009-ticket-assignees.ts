import { QueryInterface } from 'sequelize';
import type { Migration } from '../migrator';

/**
 * A ticket's assignee (at most one). On PostgreSQL `tickets.assignee_id` references users(id);
 * on SQLite it is a plain column, because SQLite refuses `ALTER TABLE ... DROP COLUMN` on a
 * column with a REFERENCES constraint and `down()` must be able to drop it (rebuilding the
 * table instead, as queryInterface.removeColumn does there, would cascade-delete the rows that
 * reference tickets).
 *
 * Indexes: (project_id, assignee_id, status, number) serves a board filtered to one assignee
 * column by column, newest first, like tickets_project_status_number serves the whole board;
 * (assignee_id, updated_at) serves the dashboard's "Assigned to me", newest activity first.
 *
 * A card shows its assignee's name, email and avatar: a change of those must move the board
 * version of every project where the person is assigned, as 0005 does for reporters (0005 has
 * shipped and stays as it is; this is a second trigger beside it). Writing `assignee_id` itself
 * is a ticket update, which 0005's triggers already count.
 */
const ASSIGNEE_BOARDS =
  'UPDATE projects SET board_version = board_version + 1 WHERE id IN (SELECT project_id FROM tickets WHERE assignee_id = NEW.id)';
const SHOWN_CHANGED =
  'OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email OR OLD.avatar IS DISTINCT FROM NEW.avatar';

const INDEXES = [
  { name: 'tickets_project_assignee_status_number', columns: 'project_id, assignee_id, status, number' },
  { name: 'tickets_assignee_updated', columns: 'assignee_id, updated_at' },
];

const POSTGRES_UP = [
  'ALTER TABLE tickets ADD COLUMN assignee_id UUID NULL REFERENCES users(id) ON DELETE SET NULL',
  `CREATE FUNCTION touch_boards_of_assignee() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  ${ASSIGNEE_BOARDS};
  RETURN NULL;
END $$`,
  `CREATE TRIGGER users_assigned_on_boards AFTER UPDATE ON users FOR EACH ROW WHEN (${SHOWN_CHANGED}) EXECUTE FUNCTION touch_boards_of_assignee()`,
];
const POSTGRES_DOWN = [
  'DROP TRIGGER IF EXISTS users_assigned_on_boards ON users',
  'DROP FUNCTION IF EXISTS touch_boards_of_assignee()',
];

const SQLITE_UP = [
  'ALTER TABLE tickets ADD COLUMN assignee_id UUID NULL',
  `CREATE TRIGGER users_assigned_on_boards AFTER UPDATE OF name, email, avatar ON users WHEN ${SHOWN_CHANGED.replace(/IS DISTINCT FROM/g, 'IS NOT')}
     BEGIN ${ASSIGNEE_BOARDS}; END`,
];
const SQLITE_DOWN = ['DROP TRIGGER IF EXISTS users_assigned_on_boards'];

export const ticketAssignees: Migration = {
  name: '0009-ticket-assignees',
  async up({ context: qi }: { context: QueryInterface }) {
    const sequelize = qi.sequelize;
    const postgres = sequelize.getDialect() === 'postgres';
    await sequelize.transaction(async (transaction) => {
      for (const statement of postgres ? POSTGRES_UP : SQLITE_UP) await sequelize.query(statement, { transaction });
      for (const index of INDEXES)
        await sequelize.query(`CREATE INDEX ${index.name} ON tickets (${index.columns})`, { transaction });
    });
  },
  async down({ context: qi }: { context: QueryInterface }) {
    const sequelize = qi.sequelize;
    const postgres = sequelize.getDialect() === 'postgres';
    await sequelize.transaction(async (transaction) => {
      for (const statement of postgres ? POSTGRES_DOWN : SQLITE_DOWN) await sequelize.query(statement, { transaction });
      // SQLite refuses to drop an indexed column: the indexes go first. Plain DROP COLUMN on both (see CONTRIBUTING).
      for (const index of INDEXES) await sequelize.query(`DROP INDEX IF EXISTS ${index.name}`, { transaction });
      await sequelize.query('ALTER TABLE tickets DROP COLUMN assignee_id', { transaction });
    });
  },
};
