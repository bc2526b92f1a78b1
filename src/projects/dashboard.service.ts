import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { literal, Op, WhereOptions } from 'sequelize';
import { Sequelize } from 'sequelize-typescript';
import type { User } from '../accounts/user.model';
import { PRIORITY_LABELS, STATUS_LABELS, TICKET_STATUSES, TicketStatus } from '../common/board-contract';
import { markdownToText } from '../common/markdown';
import { AssignedTicket, AssignedTickets } from './assigned-tickets';
import { ProjectMember } from './project-member.model';
import { Project, TICKET_COUNT_ATTRIBUTES } from './project.model';

export const DASHBOARD_PAGE_SIZE = 24;
export const ASSIGNED_PAGE_SIZE = 10;
export const CARD_AVATARS = 5;
export const EXCERPT_LENGTH = 160;

export interface ProjectCard {
  id: string;
  name: string;
  excerpt: string;
  isMember: boolean;
  members: CardPerson[];
  moreMembers: number;
  memberCount: number;
  counts: { status: TicketStatus; label: string; count: number }[];
  totalTickets: number;
}

/** A member as a card shows them (an avatar), read as a plain row. */
export interface CardPerson {
  id: string;
  name: string;
  email: string;
  avatar: string | null;
  displayName: string;
}

export interface AssignedPanel {
  tickets: (AssignedTicket & { url: string; projectUrl: string; statusLabel: string; priorityLabel: string })[];
  total: number;
  page: number;
  pages: number;
  previousPage: number | null;
  nextPage: number | null;
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
 * projects: count, page of projects (with their ticket counters), one query of members.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly sequelize: Sequelize,
    @InjectModel(Project) private readonly projects: typeof Project,
    @InjectModel(ProjectMember) private readonly members: typeof ProjectMember,
    private readonly assigned: AssignedTickets,
  ) {}

  /** The dashboard page: the person's projects (page `projectsPage`) and the tickets assigned to them. */
  async page(user: User, projectsPage = 1, assignedPage = 1) {
    return {
      title: 'Dashboard',
      ...(await this.forUser(user, projectsPage)),
      assigned: await this.assignedTo(user, assignedPage),
    };
  }

  /**
   * "Assigned to me": the user's open tickets across the projects they can see, newest activity
   * first, a page at a time. Two statements whatever the number of tickets.
   */
  async assignedTo(user: User, requestedPage = 1): Promise<AssignedPanel> {
    const wanted = Math.max(1, Math.floor(requestedPage) || 1);
    let { tickets, total } = await this.assigned.openFor(user.id, this.visibleTo(user), {
      limit: ASSIGNED_PAGE_SIZE,
      offset: (wanted - 1) * ASSIGNED_PAGE_SIZE,
    });
    const pages = Math.max(1, Math.ceil(total / ASSIGNED_PAGE_SIZE));
    const page = Math.min(wanted, pages);
    // A page past the end (a bookmark, tickets closed meanwhile): the last page instead.
    if (page !== wanted)
      ({ tickets, total } = await this.assigned.openFor(user.id, this.visibleTo(user), {
        limit: ASSIGNED_PAGE_SIZE,
        offset: (page - 1) * ASSIGNED_PAGE_SIZE,
      }));
    return {
      tickets: tickets.map((ticket) => ({
        ...ticket,
        url: `/projects/${ticket.projectId}/tickets/${ticket.id}`,
        projectUrl: `/projects/${ticket.projectId}`,
        statusLabel: STATUS_LABELS[ticket.status],
        priorityLabel: PRIORITY_LABELS[ticket.priority],
      })),
      total,
      page,
      pages,
      previousPage: page > 1 ? page - 1 : null,
      nextPage: page < pages ? page + 1 : null,
    };
  }

  async forUser(user: User, requestedPage = 1): Promise<Dashboard> {
    const where = this.visibleTo(user);
    const total = await this.projects.count({ where });
    const pages = Math.max(1, Math.ceil(total / DASHBOARD_PAGE_SIZE));
    const page = Math.min(Math.max(1, Math.floor(requestedPage) || 1), pages);
    const projects = total
      ? await this.projects.findAll({
          where,
          attributes: ['id', 'name', 'description', ...TICKET_COUNT_ATTRIBUTES],
          order: [
            ['name', 'ASC'],
            ['id', 'ASC'],
          ],
          limit: DASHBOARD_PAGE_SIZE,
          offset: (page - 1) * DASHBOARD_PAGE_SIZE,
        })
      : [];
    const ids = projects.map((project) => project.id);
    const members = ids.length ? await this.membersOf(ids) : new Map<string, CardPerson[]>();

    const cards = projects.map((project): ProjectCard => {
      const people = members.get(project.id) ?? [];
      const perStatus = project.ticketCounts();
      const statusCounts = TICKET_STATUSES.map((status) => ({
        status,
        label: STATUS_LABELS[status],
        count: perStatus[status],
      }));
      return {
        id: project.id,
        name: project.name,
        excerpt: excerpt(markdownToText(project.description)),
        isMember: people.some((person) => person.id === user.id),
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

  /**
   * One query for the members of all listed projects: project id → people, earliest first. Plain
   * rows, not model instances: a page of cards holds hundreds of memberships.
   */
  private async membersOf(projectIds: string[]): Promise<Map<string, CardPerson[]>> {
    const memberships = (await this.members.findAll({
      attributes: ['projectId'],
      where: { projectId: projectIds },
      include: [{ association: 'user', attributes: ['id', 'name', 'email', 'avatar'], required: true }],
      order: [
        ['createdAt', 'ASC'],
        ['userId', 'ASC'],
      ],
      raw: true,
      nest: true,
    })) as unknown as { projectId: string; user: Omit<CardPerson, 'displayName'> }[];
    const members = new Map<string, CardPerson[]>();
    for (const { projectId, user } of memberships) {
      if (!members.has(projectId)) members.set(projectId, []);
      members.get(projectId)!.push({ ...user, displayName: user.name || user.email });
    }
    return members;
  }
}
