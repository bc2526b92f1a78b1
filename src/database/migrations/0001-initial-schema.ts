import { DataTypes, QueryInterface } from 'sequelize';
import type { Migration } from '../migrator';

const timestamps = {
  created_at: { type: DataTypes.DATE, allowNull: false },
  updated_at: { type: DataTypes.DATE, allowNull: false },
};

export const initialSchema: Migration = {
  name: '0001-initial-schema',
  async up({ context: qi }: { context: QueryInterface }) {
    await qi.createTable('users', {
      id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
      email: { type: DataTypes.STRING(254), allowNull: false, unique: true },
      name: { type: DataTypes.STRING(100), allowNull: false, defaultValue: '' },
      password_hash: { type: DataTypes.STRING(255), allowNull: false },
      role: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'MEMBER' },
      avatar: { type: DataTypes.STRING(255), allowNull: true },
      is_active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      last_login_at: { type: DataTypes.DATE, allowNull: true },
      ...timestamps,
    });

    await qi.createTable('projects', {
      id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
      name: { type: DataTypes.STRING(200), allowNull: false },
      description: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      created_by: {
        type: DataTypes.UUID,
        allowNull: true,
        references: { model: 'users', key: 'id' },
        onDelete: 'SET NULL',
      },
      ticket_seq: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      ...timestamps,
    });

    await qi.createTable('project_members', {
      project_id: {
        type: DataTypes.UUID,
        primaryKey: true,
        allowNull: false,
        references: { model: 'projects', key: 'id' },
        onDelete: 'CASCADE',
      },
      user_id: {
        type: DataTypes.UUID,
        primaryKey: true,
        allowNull: false,
        references: { model: 'users', key: 'id' },
        onDelete: 'CASCADE',
      },
      created_at: { type: DataTypes.DATE, allowNull: false },
    });
    await qi.addIndex('project_members', ['user_id'], { name: 'project_members_user' });

    await qi.createTable('invitations', {
      id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
      token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      email: { type: DataTypes.STRING(254), allowNull: false },
      sender_id: {
        type: DataTypes.UUID,
        allowNull: true,
        references: { model: 'users', key: 'id' },
        onDelete: 'SET NULL',
      },
      project_id: {
        type: DataTypes.UUID,
        allowNull: true,
        references: { model: 'projects', key: 'id' },
        onDelete: 'SET NULL',
      },
      role: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'MEMBER' },
      is_used: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      used_at: { type: DataTypes.DATE, allowNull: true },
      expires_at: { type: DataTypes.DATE, allowNull: false },
      revoked_at: { type: DataTypes.DATE, allowNull: true },
      sent_at: { type: DataTypes.DATE, allowNull: true },
      send_error: { type: DataTypes.TEXT, allowNull: true },
      ...timestamps,
    });
    await qi.addIndex('invitations', ['email'], { name: 'invitations_email' });
    await qi.addIndex('invitations', ['expires_at'], { name: 'invitations_expires_at' });

    await qi.createTable('tickets', {
      id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
      project_id: {
        type: DataTypes.UUID,
        allowNull: false,
        references: { model: 'projects', key: 'id' },
        onDelete: 'CASCADE',
      },
      number: { type: DataTypes.INTEGER, allowNull: false },
      reporter_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'users', key: 'id' } },
      title: { type: DataTypes.STRING(200), allowNull: false },
      description: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'OPEN' },
      priority: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'MEDIUM' },
      version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      ...timestamps,
    });
    await qi.addIndex('tickets', ['project_id', 'number'], { name: 'tickets_project_number', unique: true });
    await qi.addIndex('tickets', ['project_id', 'status', 'created_at'], { name: 'tickets_project_status_created' });
    await qi.addIndex('tickets', ['reporter_id'], { name: 'tickets_reporter' });

    await qi.createTable('sessions', {
      sid: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
      user_id: { type: DataTypes.UUID, allowNull: true },
      expires: { type: DataTypes.DATE, allowNull: true },
      data: { type: DataTypes.TEXT, allowNull: true },
      ...timestamps,
    });
    await qi.addIndex('sessions', ['user_id'], { name: 'sessions_user' });
    await qi.addIndex('sessions', ['expires'], { name: 'sessions_expires' });
  },

  async down({ context: qi }: { context: QueryInterface }) {
    for (const table of ['sessions', 'tickets', 'invitations', 'project_members', 'projects', 'users']) {
      await qi.dropTable(table);
    }
  },
};
