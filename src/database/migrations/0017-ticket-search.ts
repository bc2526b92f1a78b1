import { QueryInterface } from 'sequelize';
import type { Migration } from '../migrator';

/**
 * The list's search reads an index instead of scanning every description of a project; its
 * priority filter and the managers (people with access) get an index too.
 *
 * PostgreSQL: a stored generated `search_vector` (the title weighted A, the description B) with
 * a GIN index; the database computes it on every insert and update, bulk ones included. The
 * `simple` configuration (lower case, no stemming, no stop words) rather than `english`:
 * tickets hold code, names, identifiers and more than one language, every word stays findable,
 * and it matches what SQLite's tokenizer does (diacritics kept on both), so both databases find
 * the same tickets.
 *
 * SQLite: an FTS5 table over the tickets' title and description, external content (the text is
 * stored once, in tickets) keyed by the tickets' rowid and kept in step by triggers. tickets has
 * no INTEGER PRIMARY KEY, so a VACUUM may renumber its rowids: after one, rebuild the index
 * (`INSERT INTO tickets_fts(tickets_fts) VALUES('rebuild')`).
 */
/**
 * Only letters and digits make words, as in SQLite's unicode61 tokenizer: PostgreSQL's own parser
 * would keep `example.com/docs` or `console.log` as one token, so neither "docs" nor "log" found it.
 */
const WORDS_OF = (column: string) => `regexp_replace(coalesce(${column}, ''), '[^[:alnum:]]+', ' ', 'g')`;

const POSTGRES_UP = [
  `ALTER TABLE tickets ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
     setweight(to_tsvector('simple', ${WORDS_OF('title')}), 'A') ||
     setweight(to_tsvector('simple', ${WORDS_OF('description')}), 'B')) STORED`,
  'CREATE INDEX tickets_search ON tickets USING GIN (search_vector)',
];
const POSTGRES_DOWN = [
  'DROP INDEX IF EXISTS tickets_search',
  'ALTER TABLE tickets DROP COLUMN IF EXISTS search_vector',
];

const SQLITE_UP = [
  `CREATE VIRTUAL TABLE tickets_fts USING fts5(title, description, content='tickets', content_rowid='rowid', tokenize='unicode61 remove_diacritics 0')`,
  `CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
     INSERT INTO tickets_fts(rowid, title, description) VALUES (new.rowid, new.title, new.description);
   END`,
  `CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
     INSERT INTO tickets_fts(tickets_fts, rowid, title, description) VALUES ('delete', old.rowid, old.title, old.description);
   END`,
  `CREATE TRIGGER tickets_fts_update AFTER UPDATE OF title, description ON tickets BEGIN
     INSERT INTO tickets_fts(tickets_fts, rowid, title, description) VALUES ('delete', old.rowid, old.title, old.description);
     INSERT INTO tickets_fts(rowid, title, description) VALUES (new.rowid, new.title, new.description);
   END`,
  `INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild')`,
];
const SQLITE_DOWN = [
  'DROP TRIGGER IF EXISTS tickets_fts_insert',
  'DROP TRIGGER IF EXISTS tickets_fts_delete',
  'DROP TRIGGER IF EXISTS tickets_fts_update',
  'DROP TABLE IF EXISTS tickets_fts',
];

/**
 * A priority filter counts its tickets (up to the list's cap) and lists them newest first from
 * this index alone, as the status filter does with tickets_project_status_number.
 */
const PRIORITY_INDEX = 'tickets_project_priority_number';

/**
 * The people with access to a project are its members and every manager: the managers are read
 * through this index instead of a scan of every account (the list's assignee filter and the
 * details' assignee menu ask on every view).
 */
const MANAGERS_INDEX = 'users_managers';

async function run(qi: QueryInterface, statements: string[]): Promise<void> {
  for (const statement of statements) await qi.sequelize.query(statement);
}

export const ticketSearch: Migration = {
  name: '0017-ticket-search',
  async up({ context: qi }: { context: QueryInterface }) {
    await run(qi, qi.sequelize.getDialect() === 'postgres' ? POSTGRES_UP : SQLITE_UP);
    await qi.addIndex('tickets', ['project_id', 'priority', 'number'], { name: PRIORITY_INDEX });
    await qi.addIndex('users', ['id'], { name: MANAGERS_INDEX, where: { role: 'MANAGER' } });
  },
  async down({ context: qi }: { context: QueryInterface }) {
    await qi.removeIndex('users', MANAGERS_INDEX);
    await qi.removeIndex('tickets', PRIORITY_INDEX);
    await run(qi, qi.sequelize.getDialect() === 'postgres' ? POSTGRES_DOWN : SQLITE_DOWN);
  },
};
