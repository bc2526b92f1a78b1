import { statementsMigration } from '../migrator';

/**
 * The board version also keys the project's dashboard card (projects/project-card-html.ts), so it
 * must move with everything a card shows beside the ticket counters (0005): the project's name
 * and description, its members joining and leaving, and a member's name, email or avatar. With
 * that, the dashboard reads a few columns per project and reuses each card's rendering instead of
 * reading every card's members on every view.
 *
 * And an index for the dashboard's page of projects by name: a manager sees every project, and
 * without it each view sorted all of them to show 24.
 *
 * Triggers, as in 0005, so that every way these rows are written (the services, the REPL, a
 * cascade from a deleted user or project) moves the version in the same transaction.
 * PostgreSQL's project trigger runs BEFORE the update and raises the version in the row being
 * written; SQLite's runs after, as its own UPDATE of that row (its triggers are not recursive, and
 * that UPDATE does not name the watched columns anyway).
 */
const MEMBER_PROJECTS =
  'UPDATE projects SET board_version = board_version + 1 WHERE id IN (SELECT project_id FROM project_members WHERE user_id = NEW.id)';
const SHOWN_CHANGED =
  'OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email OR OLD.avatar IS DISTINCT FROM NEW.avatar';
const CARD_CHANGED = 'OLD.name IS DISTINCT FROM NEW.name OR OLD.description IS DISTINCT FROM NEW.description';
const CREATE_INDEX = 'CREATE INDEX projects_name_id ON projects (name, id)';
const DROP_INDEX = 'DROP INDEX IF EXISTS projects_name_id';

const sqlite = (condition: string) => condition.replace(/IS DISTINCT FROM/g, 'IS NOT');

const POSTGRES_UP = [
  `CREATE FUNCTION touch_card_of_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.board_version := OLD.board_version + 1;
  RETURN NEW;
END $$`,
  `CREATE TRIGGER projects_card_changed BEFORE UPDATE ON projects FOR EACH ROW WHEN (${CARD_CHANGED}) EXECUTE FUNCTION touch_card_of_project()`,
  ...(['insert', 'delete'] as const).map(
    (operation) => `CREATE FUNCTION touch_cards_on_members_${operation}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE projects SET board_version = board_version + 1
   WHERE id IN (SELECT project_id FROM ${operation === 'insert' ? 'new_rows' : 'old_rows'});
  RETURN NULL;
END $$`,
  ),
  `CREATE TRIGGER project_members_shown_on_insert AFTER INSERT ON project_members
     REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION touch_cards_on_members_insert()`,
  `CREATE TRIGGER project_members_shown_on_delete AFTER DELETE ON project_members
     REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION touch_cards_on_members_delete()`,
  `CREATE FUNCTION touch_cards_of_member() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  ${MEMBER_PROJECTS};
  RETURN NULL;
END $$`,
  `CREATE TRIGGER users_shown_on_cards AFTER UPDATE ON users FOR EACH ROW WHEN (${SHOWN_CHANGED}) EXECUTE FUNCTION touch_cards_of_member()`,
];

const POSTGRES_DOWN = [
  'DROP TRIGGER IF EXISTS users_shown_on_cards ON users',
  'DROP FUNCTION IF EXISTS touch_cards_of_member()',
  'DROP TRIGGER IF EXISTS project_members_shown_on_insert ON project_members',
  'DROP TRIGGER IF EXISTS project_members_shown_on_delete ON project_members',
  'DROP FUNCTION IF EXISTS touch_cards_on_members_insert()',
  'DROP FUNCTION IF EXISTS touch_cards_on_members_delete()',
  'DROP TRIGGER IF EXISTS projects_card_changed ON projects',
  'DROP FUNCTION IF EXISTS touch_card_of_project()',
];

const SQLITE_UP = [
  `CREATE TRIGGER projects_card_changed AFTER UPDATE OF name, description ON projects WHEN ${sqlite(CARD_CHANGED)}
     BEGIN UPDATE projects SET board_version = board_version + 1 WHERE id = NEW.id; END`,
  `CREATE TRIGGER project_members_shown_on_insert AFTER INSERT ON project_members
     BEGIN UPDATE projects SET board_version = board_version + 1 WHERE id = NEW.project_id; END`,
  `CREATE TRIGGER project_members_shown_on_delete AFTER DELETE ON project_members
     BEGIN UPDATE projects SET board_version = board_version + 1 WHERE id = OLD.project_id; END`,
  `CREATE TRIGGER users_shown_on_cards AFTER UPDATE OF name, email, avatar ON users WHEN ${sqlite(SHOWN_CHANGED)}
     BEGIN ${MEMBER_PROJECTS}; END`,
];

const SQLITE_DOWN = [
  'DROP TRIGGER IF EXISTS users_shown_on_cards',
  'DROP TRIGGER IF EXISTS project_members_shown_on_insert',
  'DROP TRIGGER IF EXISTS project_members_shown_on_delete',
  'DROP TRIGGER IF EXISTS projects_card_changed',
];

export const projectCardVersion = statementsMigration('0019-project-card-version', {
  postgres: { up: [...POSTGRES_UP, CREATE_INDEX], down: [DROP_INDEX, ...POSTGRES_DOWN] },
  sqlite: { up: [...SQLITE_UP, CREATE_INDEX], down: [DROP_INDEX, ...SQLITE_DOWN] },
});
