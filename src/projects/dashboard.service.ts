import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { col, fn, literal, Op, WhereOptions } from 'sequelize';
import { Sequelize } from 'sequelize-typescript';
import { User } from '../accounts/user.model';
import { TICKET_STATUSES, Ticket, TicketStatus } from '../tickets/ticket.model';
import { ProjectMember } from './project-member.model';
import { Project } from './project.model';

export const DASHBOARD_PAGE_SIZE = 24;
export const CARD_AVATARS = 5;
export const EXCERPT_LENGTH = 160;

export interface ProjectCard {
  id: string;
  name: string;
  excerpt: string;
  isMember: boolean;
  members: User[];
  moreMembers: number;
  memberCount: number;
  counts: { status: TicketStatus; count: number }[];
  totalTickets: number;
}

export interface Dashboard {
  cards: ProjectCard[];
  total: number;
  page: number;
  pages: number;
  previousPage: number | null;
  nextPage: number | null;
}

/** Shortens a description to one line of a card, on a word boundary where possible. */
export function excerpt(text: string, length = EXCERPT_LENGTH): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  if (flat.length <= length) return flat;
  const cut = flat.slice(0, length);
  const space = cut.lastIndexOf(' ');
  return `${(space > length / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, '')}…`;
}

/**
 * The dashboard: a page of the projects a user may see (their own; all for a manager), each
 * with members and ticket counts per status. A fixed number of queries whatever the number of
 * projects: count, page of projects, one aggregate of ticket counts, one query of members.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly sequelize: Sequelize,
    @InjectModel(Project) private readonly projects: typeof Project,
    @InjectModel(ProjectMember) private readonly members: typeof ProjectMember,
    @InjectModel(Ticket) private readonly tickets: typeof Ticket,
  ) {}

  async forUser(user: User, requestedPage = 1): Promise<Dashboard> {
    const where = this.visibleTo(user);
    const total = await this.projects.count({ where });
    const pages = Math.max(1, Math.ceil(total / DASHBOARD_PAGE_SIZE));
    const page = Math.min(Math.max(1, Math.floor(requestedPage) || 1), pages);
    const projects = total
      ? await this.projects.findAll({
          where,
          attributes: ['id', 'name', 'description'],
          order: [['name', 'ASC'], ['id', 'ASC']],
          limit: DASHBOARD_PAGE_SIZE,
          offset: (page - 1) * DASHBOARD_PAGE_SIZE,
        })
      : [];
    const ids = projects.map((project) => project.id);
    const [counts, members] = ids.length ? await Promise.all([this.countTickets(ids), this.membersOf(ids)]) : [new Map(), new Map()];

    const cards = projects.map((project): ProjectCard => {
      const people = members.get(project.id) ?? [];
      const perStatus = counts.get(project.id) ?? new Map<string, number>();
      const statusCounts = TICKET_STATUSES.map((status) => ({ status, count: perStatus.get(status) ?? 0 }));
      return {
        id: project.id,
        name: project.name,
        excerpt: excerpt(project.description),
        isMember: people.some((person: User) => person.id === user.id),
        members: people.slice(0, CARD_AVATARS),
        moreMembers: Math.max(0, people.length - CARD_AVATARS),
        memberCount: people.length,
        counts: statusCounts,
        totalTickets: statusCounts.reduce((sum, entry) => sum + entry.count, 0),
      };
    });
    return {
      cards,
      total,
      page,
      pages,
      previousPage: page > 1 ? page - 1 : null,
      nextPage: page < pages ? page + 1 : null,
    };
  }

  /** Managers see every project, anyone else only the projects they belong to. */
  private visibleTo(user: User): WhereOptions {
    if (user.isManager) return {};
    const userId = this.sequelize.escape(user.id);
    return { id: { [Op.in]: literal(`(SELECT project_id FROM project_members WHERE user_id = ${userId})`) } };
  }

  /** One aggregate for all listed projects: project id → status → count. */
  private async countTickets(projectIds: string[]): Promise<Map<string, Map<string, number>>> {
    const rows = (await this.tickets.findAll({
      attributes: [
        [col('project_id'), 'projectId'],
        'status',
        [fn('COUNT', col('id')), 'count'],
      ],
      where: { projectId: projectIds },
      group: [col('project_id'), col('status')],
      raw: true,
    })) as unknown as { projectId: string; status: string; count: string | number }[];
    const counts = new Map<string, Map<string, number>>();
    for (const row of rows) {
      if (!counts.has(row.projectId)) counts.set(row.projectId, new Map());
      counts.get(row.projectId)!.set(row.status, Number(row.count));
    }
    return counts;
  }

  /** One query for the members of all listed projects: project id → users, earliest first. */
  private async membersOf(projectIds: string[]): Promise<Map<string, User[]>> {
    const memberships = await this.members.findAll({
      where: { projectId: projectIds },
      include: [{ model: User, attributes: ['id', 'name', 'email', 'avatar', 'role'] }],
      order: [['createdAt', 'ASC'], ['userId', 'ASC']],
    });
    const members = new Map<string, User[]>();
    for (const membership of memberships) {
      if (!membership.user) continue;
      if (!members.has(membership.projectId)) members.set(membership.projectId, []);
      members.get(membership.projectId)!.push(membership.user);
    }
    return members;
  }
}
