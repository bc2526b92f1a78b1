import { statementsMigration } from '../migrator';

/**
 * A comment's edit moves its project's board version, as adding or deleting one already does
 * (through the ticket's comment count, 0005). The board does not show a comment's text, but the
 * version also keys each ticket's details this process keeps rendered (tickets/kept-ticket-details.ts):
 * with this, everything the details show moves the board version or the people version (0020).
 * Edits are rare next to views, so the board's rendering they cost is small.
 */
const WATCHED = ['body', 'edited_at'];
const CHANGED = WATCHED.map((column) => `OLD.${column} IS DISTINCT FROM NEW.${column}`).join(' OR ');
const TOUCH =
  'UPDATE projects SET board_version = board_version + 1 WHERE id = (SELECT project_id FROM tickets WHERE id = NEW.ticket_id)';

const POSTGRES_UP = [
  `CREATE FUNCTION touch_board_of_edited_comment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  ${TOUCH};
  RETURN NULL;
END $$`,
  `CREATE TRIGGER comments_edited_on_board AFTER UPDATE ON comments FOR EACH ROW WHEN (${CHANGED})
     EXECUTE FUNCTION touch_board_of_edited_comment()`,
];

const POSTGRES_DOWN = [
  'DROP TRIGGER IF EXISTS comments_edited_on_board ON comments',
  'DROP FUNCTION IF EXISTS touch_board_of_edited_comment()',
];

const SQLITE_UP = [
  `CREATE TRIGGER comments_edited_on_board AFTER UPDATE OF ${WATCHED.join(', ')} ON comments
     WHEN ${CHANGED.replace(/IS DISTINCT FROM/g, 'IS NOT')} BEGIN ${TOUCH}; END`,
];

const SQLITE_DOWN = ['DROP TRIGGER IF EXISTS comments_edited_on_board'];

export const commentEditsMoveBoardVersion = statementsMigration('0021-comment-edits-move-board-version', {
  postgres: { up: POSTGRES_UP, down: POSTGRES_DOWN },
  sqlite: { up: SQLITE_UP, down: SQLITE_DOWN },
});
