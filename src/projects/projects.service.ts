import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import type { User } from '../accounts/user.model';
import { Invitation } from '../invitations/invitation.model';
import { Ticket } from '../tickets/ticket.model';
import type { ProjectForm } from './dto/project-form.dto';
import { ProjectMember } from './project-member.model';
import { Project } from './project.model';
import { WriteTransactions } from '../database/write-transactions';

/** What deleting a project takes with it, for the confirmation. */
export interface DeletionImpact {
  tickets: number;
  pendingInvitations: number;
}

/** Creating, editing and deleting projects (managers only; the controllers enforce the role). */
@Injectable()
export class ProjectsService {
  constructor(
    private readonly transactions: WriteTransactions,
    @InjectModel(Project) private readonly projects: typeof Project,
    @InjectModel(ProjectMember) private readonly members: typeof ProjectMember,
    @InjectModel(Ticket) private readonly tickets: typeof Ticket,
    @InjectModel(Invitation) private readonly invitations: typeof Invitation,
  ) {}

  /** The projects a user can choose from (e.g. in the invite form): their own, or all for a manager. */
  listForUser(user: User): Promise<Project[]> {
    if (user.isManager) return this.projects.findAll({ attributes: ['id', 'name'], order: [['name', 'ASC']] });
    return this.projects.findAll({
      attributes: ['id', 'name'],
      include: [{ model: ProjectMember, where: { userId: user.id }, attributes: [], required: true }],
      order: [['name', 'ASC']],
    });
  }

  /** Creates the project with its creator as first member, both or neither. */
  create(creator: User, form: ProjectForm): Promise<Project> {
    return this.transactions.run(async (transaction) => {
      const project = await this.projects.create(
        { name: form.name, description: form.description, createdBy: creator.id },
        { transaction },
      );
      await this.members.create({ projectId: project.id, userId: creator.id }, { transaction });
      return project;
    });
  }

  update(project: Project, form: ProjectForm): Promise<Project> {
    return project.update({ name: form.name, description: form.description });
  }

  async deletionImpact(project: Project): Promise<DeletionImpact> {
    const tickets = Object.values(project.ticketCounts()).reduce((sum, count) => sum + count, 0);
    return { tickets, pendingInvitations: await this.invitations.count({ where: this.pendingInvitationsOf(project) }) };
  }

  /**
   * Deletes the project; its tickets and memberships go with it (ON DELETE CASCADE). Pending
   * invitations to it are revoked first: their project_id is set to null by the deletion, and
   * an invitation into a project that no longer exists must not be accepted.
   */
  async remove(project: Project): Promise<void> {
    await this.transactions.run(async (transaction) => {
      await this.invitations.update(
        { revokedAt: new Date() },
        { where: this.pendingInvitationsOf(project), transaction },
      );
      // Tickets first, then the project: the lock order of every ticket write (the ticket row,
      // then its project's counters; migration 0005). Cascading from the project would take the
      // project row first and could deadlock with someone moving a ticket at that moment.
      await this.tickets.destroy({ where: { projectId: project.id }, transaction });
      await project.destroy({ transaction });
    });
  }

  private pendingInvitationsOf(project: Project) {
    return { projectId: project.id, isUsed: false, revokedAt: null };
  }
}
