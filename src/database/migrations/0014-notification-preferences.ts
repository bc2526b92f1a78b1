import { DataTypes, QueryInterface } from 'sequelize';
import type { Migration } from '../migrator';

/**
 * Which kinds of notification each person wants by email (notifications module). No row: all of
 * them; an empty list: none. The inbox shows every notification whatever the preference.
 */
export const notificationPreferences: Migration = {
  name: '0014-notification-preferences',
  async up({ context: qi }: { context: QueryInterface }) {
    await qi.createTable('notification_preferences', {
      user_id: {
        type: DataTypes.UUID,
        primaryKey: true,
        allowNull: false,
        references: { model: 'users', key: 'id' },
        onDelete: 'CASCADE',
      },
      mail_kinds: { type: DataTypes.STRING(100), allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
  },
  async down({ context: qi }: { context: QueryInterface }) {
    await qi.dropTable('notification_preferences');
  },
};
