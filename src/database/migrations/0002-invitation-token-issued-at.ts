import { DataTypes, QueryInterface } from 'sequelize';
import type { Migration } from '../migrator';

/** When an invitation's current token was issued: rate-limits resends and ages the pending-mail sweep. */
export const invitationTokenIssuedAt: Migration = {
  name: '0002-invitation-token-issued-at',
  async up({ context: qi }: { context: QueryInterface }) {
    await qi.addColumn('invitations', 'token_issued_at', { type: DataTypes.DATE, allowNull: true });
  },
  async down({ context: qi }: { context: QueryInterface }) {
    await qi.removeColumn('invitations', 'token_issued_at');
  },
};
