import type { QueryInterface } from 'sequelize';
import type { Migration } from '../migrator';

/**
 * The list filtered by status and priority together counts its tickets (up to the list's cap)
 * and lists them newest first from this index alone. Through the status index it read every
 * ticket of the status and filtered the priority in the table: 25,000 rows for a status of the
 * 100,000-ticket project, growing with the project.
 */
const INDEX = 'tickets_project_status_priority_number';

export const ticketStatusPriorityIndex: Migration = {
  name: '0018-ticket-status-priority-index',
  async up({ context: qi }: { context: QueryInterface }) {
    await qi.addIndex('tickets', ['project_id', 'status', 'priority', 'number'], { name: INDEX });
  },
  async down({ context: qi }: { context: QueryInterface }) {
    await qi.removeIndex('tickets', INDEX);
  },
};
