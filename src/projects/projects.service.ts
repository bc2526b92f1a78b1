import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectModel } from '@nestjs/sequelize';
import { isUUID } from 'class-validator';
import type { Transaction } from 'sequelize';
import type { User } from '../accounts/user.model';
import { WriteTransactions } from '../database/write-transactions';
import type { ProjectForm } from './dto/project-form.dto';
import { ProjectDeleting } from './project-events';
import { ProjectDependents } from './project-dependents';
import { ProjectMember } from './project-member.model';
import { Project } from './project.model';

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
    private readonly events: EventEmitter2,
    private readonly dependents: ProjectDependents,
  ) {}

  /** The project with this id, or null (unknown and malformed ids alike). */
  async findById(id: string, transaction?: Transaction): Promise<Project | null> {
    return isUUID(id) ? this.projects.findByPk(id, { transaction }) : null;
  }

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

  /**
   * The next ticket number of the project, taken with an UPDATE of its row inside the caller's
   * transaction: concurrent callers queue on that row (PostgreSQL row lock, SQLite IMMEDIATE
   * transaction), and a rollback gives the number back.
   */
  async takeTicketNumber(projectId: string, transaction: Transaction): Promise<number> {
    await this.projects.increment('ticketSeq', { by: 1, where: { id: projectId }, silent: true, transaction });
    const { ticketSeq } = await this.projects.findByPk(projectId, {
      attributes: ['ticketSeq'],
      transaction,
      rejectOnEmpty: true,
    });
    return ticketSeq;
  }

  async deletionImpact(project: Project): Promise<DeletionImpact> {
    const tickets = Object.values(project.ticketCounts()).reduce((sum, count) => sum + count, 0);
    return { tickets, pendingInvitations: await this.dependents.pendingInvitations(project.id) };
  }

  /**
   * Deletes the project; its memberships go with it (ON DELETE CASCADE). ProjectDeleting comes
   * first, in the same transaction: the tickets module deletes the tickets (before the project
   * row, the lock order of every ticket write; cascading from the project would take the project
   * row first and could deadlock with someone moving a ticket at that moment), and the
   * invitations module revokes the pending invitations into it (the deletion sets their
   * project_id to null, and an invitation into a project that no longer exists must not be
   * accepted).
   */
  async remove(project: Project): Promise<void> {
    await this.transactions.run(async (transaction) => {
      await this.events.emitAsync(ProjectDeleting.event, new ProjectDeleting(project.id, transaction));
      await project.destroy({ transaction });
    });
  }
}
