import { DataTypes, QueryInterface } from 'sequelize';
import type { Migration } from '../migrator';

/** Password reset links (accounts module): mailed on request, or handed out by a manager. */
export const passwordResets: Migration = {
  name: '0008-password-resets',
  async up({ context: qi }: { context: QueryInterface }) {
    await qi.createTable('password_resets', {
      id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
      token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      user_id: {
        type: DataTypes.UUID,
        allowNull: false,
        references: { model: 'users', key: 'id' },
        onDelete: 'CASCADE',
      },
      issued_by: {
        type: DataTypes.UUID,
        allowNull: true,
        references: { model: 'users', key: 'id' },
        onDelete: 'SET NULL',
      },
      handed_out: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      expires_at: { type: DataTypes.DATE, allowNull: false },
      used_at: { type: DataTypes.DATE, allowNull: true },
      revoked_at: { type: DataTypes.DATE, allowNull: true },
      token_issued_at: { type: DataTypes.DATE, allowNull: false },
      sent_at: { type: DataTypes.DATE, allowNull: true },
      send_error: { type: DataTypes.TEXT, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
    await qi.addIndex('password_resets', ['user_id'], { name: 'password_resets_user' });
    await qi.addIndex('password_resets', ['expires_at'], { name: 'password_resets_expires_at' });
  },
  async down({ context: qi }: { context: QueryInterface }) {
    await qi.dropTable('password_resets');
  },
};
