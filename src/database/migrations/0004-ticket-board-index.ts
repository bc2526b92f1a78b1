import { QueryInterface } from 'sequelize';
import type { Migration } from '../migrator';

/**
 * Board columns list a project's tickets of one status newest first (highest number first) and
 * page on with `number < cursor`; this index serves both without a sort.
 */
export const ticketBoardIndex: Migration = {
  name: '0004-ticket-board-index',
  async up({ context: qi }: { context: QueryInterface }) {
    await qi.addIndex('tickets', ['project_id', 'status', 'number'], { name: 'tickets_project_status_number' });
  },
  async down({ context: qi }: { context: QueryInterface }) {
    await qi.removeIndex('tickets', 'tickets_project_status_number');
  },
};
