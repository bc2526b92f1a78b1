import { statementsMigration } from '../migrator';

/**
 * One number that moves with every change to who has access to which project and to what a
 * page shows of them: a person created or deleted, a change of their name, email, avatar, role
 * or whether they are active, a membership added or removed. Each web process keeps every
 * project's "people with access" (the assignee menu and the mentions of every ticket's details)
 * by this number and reads the list again only after it moved (projects/memberships.service.ts).
 *
 * A table of one row, kept by triggers as in 0005 and 0019, so that every way these rows are
 * written (the services, the REPL, cascades) moves it in the same transaction. Signing in writes
 * `users.last_login_at` and never moves it.
 */
const WATCHED = ['name', 'email', 'avatar', 'role', 'is_active'];
const CHANGED = WATCHED.map((column) => `OLD.${column} IS DISTINCT FROM NEW.${column}`).join(' OR ');
const TOUCH = 'UPDATE people_version SET version = version + 1';

const POSTGRES_UP = [
  'CREATE TABLE people_version (id INTEGER PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL DEFAULT 0)',
  'INSERT INTO people_version (id, version) VALUES (1, 0)',
  `CREATE FUNCTION touch_people_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  ${TOUCH};
  RETURN NULL;
END $$`,
  'CREATE TRIGGER users_people_version AFTER INSERT OR DELETE ON users FOR EACH STATEMENT EXECUTE FUNCTION touch_people_version()',
  `CREATE TRIGGER users_people_version_on_update AFTER UPDATE ON users FOR EACH ROW WHEN (${CHANGED}) EXECUTE FUNCTION touch_people_version()`,
  'CREATE TRIGGER project_members_people_version AFTER INSERT OR DELETE ON project_members FOR EACH STATEMENT EXECUTE FUNCTION touch_people_version()',
];

const POSTGRES_DOWN = [
  'DROP TRIGGER IF EXISTS project_members_people_version ON project_members',
  'DROP TRIGGER IF EXISTS users_people_version_on_update ON users',
  'DROP TRIGGER IF EXISTS users_people_version ON users',
  'DROP FUNCTION IF EXISTS touch_people_version()',
  'DROP TABLE IF EXISTS people_version',
];

const SQLITE_UP = [
  'CREATE TABLE people_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL DEFAULT 0)',
  'INSERT INTO people_version (id, version) VALUES (1, 0)',
  ...(['INSERT', 'DELETE'] as const).flatMap((operation) =>
    ['users', 'project_members'].map(
      (table) =>
        `CREATE TRIGGER ${table}_people_version_on_${operation.toLowerCase()} AFTER ${operation} ON ${table} BEGIN ${TOUCH}; END`,
    ),
  ),
  `CREATE TRIGGER users_people_version_on_update AFTER UPDATE OF ${WATCHED.join(', ')} ON users
     WHEN ${CHANGED.replace(/IS DISTINCT FROM/g, 'IS NOT')} BEGIN ${TOUCH}; END`,
];

const SQLITE_DOWN = [
  ...['insert', 'delete'].flatMap((operation) =>
    ['users', 'project_members'].map((table) => `DROP TRIGGER IF EXISTS ${table}_people_version_on_${operation}`),
  ),
  'DROP TRIGGER IF EXISTS users_people_version_on_update',
  'DROP TABLE IF EXISTS people_version',
];

export const peopleVersion = statementsMigration('0020-people-version', {
  postgres: { up: POSTGRES_UP, down: POSTGRES_DOWN },
  sqlite: { up: SQLITE_UP, down: SQLITE_DOWN },
});
