import { DataTypes, QueryInterface } from 'sequelize';
import type { Migration } from '../migrator';

/**
 * What people are told about tickets that concern them (notifications module): one row per
 * recipient and event, written in the change's transaction. Rows go with their recipient,
 * ticket and project (cascade); a deleted actor leaves the row without one.
 */
export const notifications: Migration = {
  name: '0012-notifications',
  async up({ context: qi }: { context: QueryInterface }) {
    await qi.createTable('notifications', {
      id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
      recipient_id: {
        type: DataTypes.UUID,
        allowNull: false,
        references: { model: 'users', key: 'id' },
        onDelete: 'CASCADE',
      },
      project_id: {
        type: DataTypes.UUID,
        allowNull: false,
        references: { model: 'projects', key: 'id' },
        onDelete: 'CASCADE',
      },
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
      kind: { type: DataTypes.STRING(16), allowNull: false },
      detail: { type: DataTypes.TEXT, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
      read_at: { type: DataTypes.DATE, allowNull: true },
    });
    // The inbox pages a person's newest first by (created_at, id); the bell counts their unread ones.
    await qi.addIndex('notifications', ['recipient_id', 'created_at', 'id'], {
      name: 'notifications_recipient_created',
    });
    await qi.addIndex('notifications', ['recipient_id', 'read_at'], { name: 'notifications_recipient_read' });
    // Deleting a ticket or a project finds their notifications through these.
    await qi.addIndex('notifications', ['ticket_id'], { name: 'notifications_ticket' });
    await qi.addIndex('notifications', ['project_id'], { name: 'notifications_project' });
  },
  async down({ context: qi }: { context: QueryInterface }) {
    await qi.dropTable('notifications');
  },
};
