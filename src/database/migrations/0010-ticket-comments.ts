import { DataTypes, QueryInterface } from 'sequelize';
import type { Migration } from '../migrator';

/**
 * Comments on tickets (comments module), and the number of them each ticket keeps (tickets
 * module) so that cards show it without counting. Comments go with their ticket (cascade).
 */
export const ticketComments: Migration = {
  name: '0010-ticket-comments',
  async up({ context: qi }: { context: QueryInterface }) {
    await qi.createTable('comments', {
      id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
      ticket_id: {
        type: DataTypes.UUID,
        allowNull: false,
        references: { model: 'tickets', key: 'id' },
        onDelete: 'CASCADE',
      },
      author_id: {
        type: DataTypes.UUID,
        allowNull: true,
        references: { model: 'users', key: 'id' },
        onDelete: 'SET NULL',
      },
      body: { type: DataTypes.TEXT, allowNull: false },
      edited_at: { type: DataTypes.DATE, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
    // The timeline reads a ticket's newest comments before a (created_at, id) cursor.
    await qi.addIndex('comments', ['ticket_id', 'created_at', 'id'], { name: 'comments_ticket_created' });
    await qi.addColumn('tickets', 'comment_count', { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
  },
  async down({ context: qi }: { context: QueryInterface }) {
    // Plain DROP COLUMN: SQLite's removeColumn would rebuild tickets and cascade-delete their children.
    await qi.sequelize.query('ALTER TABLE tickets DROP COLUMN comment_count');
    await qi.dropTable('comments');
  },
};
