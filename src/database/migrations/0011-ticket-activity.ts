import { DataTypes, QueryInterface } from 'sequelize';
import type { Migration } from '../migrator';

/**
 * The history of every ticket (activity module): one row per change, written in the change's
 * transaction. The id is a sequence, so that entries written in the same millisecond keep
 * their order. Entries go with their ticket (cascade).
 */
export const ticketActivity: Migration = {
  name: '0011-ticket-activity',
  async up({ context: qi }: { context: QueryInterface }) {
    await qi.createTable('ticket_activity', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      ticket_id: {
        type: DataTypes.UUID,
        allowNull: false,
        references: { model: 'tickets', key: 'id' },
        onDelete: 'CASCADE',
      },
      actor_id: {
        type: DataTypes.UUID,
        allowNull: true,
        references: { model: 'users', key: 'id' },
        onDelete: 'SET NULL',
      },
      kind: { type: DataTypes.STRING(24), allowNull: false },
      field: { type: DataTypes.STRING(32), allowNull: true },
      from_value: { type: DataTypes.TEXT, allowNull: true },
      to_value: { type: DataTypes.TEXT, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
    });
    await qi.addIndex('ticket_activity', ['ticket_id', 'created_at', 'id'], { name: 'ticket_activity_ticket_created' });
  },
  async down({ context: qi }: { context: QueryInterface }) {
    await qi.dropTable('ticket_activity');
  },
};
