import { DataTypes, QueryInterface } from 'sequelize';
import type { Migration } from '../migrator';

/**
 * What the profile shows about each session (browser, address, last seen), and the users'
 * session generation: a session signed in under an older generation is no longer accepted.
 */
export const sessionDetails: Migration = {
  name: '0007-session-details',
  async up({ context: qi }: { context: QueryInterface }) {
    await qi.addColumn('sessions', 'user_agent', { type: DataTypes.STRING(512), allowNull: true });
    await qi.addColumn('sessions', 'ip', { type: DataTypes.STRING(64), allowNull: true });
    await qi.addColumn('sessions', 'last_seen_at', { type: DataTypes.DATE, allowNull: true });
    await qi.addColumn('users', 'session_generation', {
      type: DataTypes.INTEGER,
      allowNull: false,
      defaultValue: 0,
    });
  },
  async down({ context: qi }: { context: QueryInterface }) {
    await qi.removeColumn('users', 'session_generation');
    await qi.removeColumn('sessions', 'last_seen_at');
    await qi.removeColumn('sessions', 'ip');
    await qi.removeColumn('sessions', 'user_agent');
  },
};
