import { DataTypes, QueryInterface } from 'sequelize';
import type { Migration } from '../migrator';

/**
 * The delivery state of each notification's email (notifications module): a delivery claims the
 * pending notifications of one person and ticket (`mail_claim`, `mail_claimed_at`), sends one
 * mail for them and records when and how that ended (`mail_done_at`, `mail_outcome`: sent, or
 * not sent because the person lost access); `mail_error` keeps the last failure.
 */
export const notificationMail: Migration = {
  name: '0013-notification-mail',
  async up({ context: qi }: { context: QueryInterface }) {
    await qi.addColumn('notifications', 'mail_claim', { type: DataTypes.STRING(64), allowNull: true });
    await qi.addColumn('notifications', 'mail_claimed_at', { type: DataTypes.DATE, allowNull: true });
    await qi.addColumn('notifications', 'mail_done_at', { type: DataTypes.DATE, allowNull: true });
    await qi.addColumn('notifications', 'mail_outcome', { type: DataTypes.STRING(16), allowNull: true });
    await qi.addColumn('notifications', 'mail_error', { type: DataTypes.TEXT, allowNull: true });
    // A delivery finds a person's pending notifications about one ticket.
    await qi.addIndex('notifications', ['recipient_id', 'ticket_id', 'mail_done_at'], {
      name: 'notifications_recipient_ticket_mail',
    });
  },
  async down({ context: qi }: { context: QueryInterface }) {
    // Plain DROP COLUMN (SQLite's removeColumn would rebuild the table), after the index that uses one.
    await qi.removeIndex('notifications', 'notifications_recipient_ticket_mail');
    for (const column of ['mail_error', 'mail_outcome', 'mail_done_at', 'mail_claimed_at', 'mail_claim'])
      await qi.sequelize.query(`ALTER TABLE notifications DROP COLUMN ${column}`);
  },
};
