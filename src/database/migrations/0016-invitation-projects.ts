import { DataTypes, QueryInterface, QueryTypes } from 'sequelize';
import type { Migration } from '../migrator';

const ONE_OPEN_PER_EMAIL = 'invitations_one_open_per_email';

interface OpenInvitation {
  id: string;
  email: string;
  role: string;
  project_id: string | null;
}

/**
 * An invitation may carry several projects (invitations module), and an email has at most one
 * open invitation (neither used nor revoked): a partial unique index, which PostgreSQL and
 * SQLite both support. Today's project_id is copied over; earlier duplicates are merged into
 * the newest open invitation of their email (its projects added, the higher role kept) and
 * revoked, so that the index can be built.
 */
export const invitationProjects: Migration = {
  name: '0016-invitation-projects',
  async up({ context: qi }: { context: QueryInterface }) {
    await qi.createTable('invitation_projects', {
      invitation_id: {
        type: DataTypes.UUID,
        primaryKey: true,
        allowNull: false,
        references: { model: 'invitations', key: 'id' },
        onDelete: 'CASCADE',
      },
      project_id: {
        type: DataTypes.UUID,
        primaryKey: true,
        allowNull: false,
        references: { model: 'projects', key: 'id' },
        onDelete: 'CASCADE',
      },
      created_at: { type: DataTypes.DATE, allowNull: false },
    });
    await qi.addIndex('invitation_projects', ['project_id'], { name: 'invitation_projects_project' });
    const now = new Date();
    await qi.sequelize.query(
      `INSERT INTO invitation_projects (invitation_id, project_id, created_at)
       SELECT id, project_id, created_at FROM invitations WHERE project_id IS NOT NULL`,
    );

    const open = await qi.sequelize.query<OpenInvitation>(
      `SELECT id, email, role, project_id FROM invitations
       WHERE NOT is_used AND revoked_at IS NULL AND email <> ''
       ORDER BY email, created_at DESC, id`,
      { type: QueryTypes.SELECT },
    );
    const keeperOf = new Map<string, OpenInvitation>();
    const links: { invitation_id: string; project_id: string; created_at: Date }[] = [];
    const revoked: string[] = [];
    const managers = new Set<string>();
    for (const invitation of open) {
      const keeper = keeperOf.get(invitation.email);
      if (!keeper) {
        keeperOf.set(invitation.email, invitation);
        continue;
      }
      revoked.push(invitation.id);
      if (invitation.role === 'MANAGER' && keeper.role !== 'MANAGER') managers.add(keeper.id);
      if (invitation.project_id && invitation.project_id !== keeper.project_id)
        links.push({ invitation_id: keeper.id, project_id: invitation.project_id, created_at: now });
    }
    const unique = [...new Map(links.map((l) => [`${l.invitation_id}:${l.project_id}`, l])).values()];
    if (unique.length) await qi.bulkInsert('invitation_projects', unique);
    if (managers.size) await qi.bulkUpdate('invitations', { role: 'MANAGER' }, { id: [...managers] });
    if (revoked.length) await qi.bulkUpdate('invitations', { revoked_at: now }, { id: revoked });

    await qi.sequelize.query(
      `CREATE UNIQUE INDEX ${ONE_OPEN_PER_EMAIL} ON invitations (email)
       WHERE NOT is_used AND revoked_at IS NULL AND email <> ''`,
    );
  },
  async down({ context: qi }: { context: QueryInterface }) {
    await qi.sequelize.query(`DROP INDEX ${ONE_OPEN_PER_EMAIL}`);
    await qi.dropTable('invitation_projects');
  },
};
