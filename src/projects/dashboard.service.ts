import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { LRUCache } from 'lru-cache';
import { literal, Op, QueryTypes, WhereOptions } from 'sequelize';
import { Sequelize } from 'sequelize-typescript';
import type { User } from '../accounts/user.model';
import { PRIORITY_LABELS, STATUS_LABELS, TICKET_STATUSES, TicketStatus } from '../common/board-contract';
import { markdownToText } from '../common/markdown';
import { AssignedTicket, AssignedTickets } from './assigned-tickets';
import { Project, TICKET_COUNT_ATTRIBUTES, ticketCountsOf } from './project.model';

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

/** A project of the dashboard's page: a plain row with its ticket counters and the page's total. */
type ProjectRow = Pick<Project, 'id' | 'name' | 'description'> & Record<string, unknown> & { total: number | string };

/** What a card shows of a project's members. */
interface CardMembers {
  first: CardPerson[];
  count: number;
  includesViewer: boolean;
}

const NO_MEMBERS: CardMembers = { first: [], count: 0, includesViewer: false };

type MemberRow = Omit<CardPerson, 'displayName'> & {
  projectId: string;
  memberCount: number | string;
  includesViewer: number | string;
};

/** Each listed project's first members (by when they joined), its member count, and whether the viewer is one. */
const MEMBERS_SQL = `SELECT "projectId", id, name, email, avatar, "memberCount", "includesViewer" FROM (
    SELECT m.project_id AS "projectId", u.id, u.name, u.email, u.avatar,
      ROW_NUMBER() OVER (PARTITION BY m.project_id ORDER BY m.created_at, m.user_id) AS position,
      COUNT(*) OVER (PARTITION BY m.project_id) AS "memberCount",
      MAX(CASE WHEN m.user_id = :viewerId THEN 1 ELSE 0 END) OVER (PARTITION BY m.project_id) AS "includesViewer"
    FROM project_members m JOIN users u ON u.id = m.user_id
    WHERE m.project_id IN (:projectIds)
  ) ranked
  WHERE position <= :avatars
  ORDER BY "projectId", position`;

/** Descriptions shown as card excerpts, by their Markdown: rendering one costs more than the rest of its card. */
const excerpts = new LRUCache<string, string>({
  maxSize: 1_000_000,
  sizeCalculation: (text, source) => source.length + text.length + 1,
});

function excerptOf(description: string | null): string {
  const source = description ?? '';
  let text = excerpts.get(source);
  if (text === undefined) excerpts.set(source, (text = excerpt(markdownToText(source))));
  return text;
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
    const wanted = Math.max(1, Math.floor(requestedPage) || 1);
    let { projects, total } = await this.projectsPage(user, wanted);
    const pages = Math.max(1, Math.ceil(total / DASHBOARD_PAGE_SIZE));
    const page = Math.min(wanted, pages);
    // A page past the end (a bookmark, projects deleted meanwhile): the last page instead.
    if (page !== wanted) ({ projects, total } = await this.projectsPage(user, page, total));
    const ids = projects.map((project) => project.id);
    const members = ids.length ? await this.membersOf(ids, user.id) : new Map<string, CardMembers>();

    const cards = projects.map((project): ProjectCard => {
      const people = members.get(project.id) ?? NO_MEMBERS;
      const perStatus = ticketCountsOf(project);
      const statusCounts = TICKET_STATUSES.map((status) => ({
        status,
        label: STATUS_LABELS[status],
        count: perStatus[status],
      }));
      return {
        id: project.id,
        name: project.name,
        excerpt: excerptOf(project.description),
        isMember: people.includesViewer,
        members: people.first,
        moreMembers: Math.max(0, people.count - CARD_AVATARS),
        memberCount: people.count,
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

  /**
   * A page of the projects the user may see, by name, as plain rows, each carrying the total (a
   * window count): one statement. Only a page past the end, with no row to carry it, costs a count.
   */
  private async projectsPage(
    user: User,
    page: number,
    knownTotal?: number,
  ): Promise<{ projects: ProjectRow[]; total: number }> {
    const where = this.visibleTo(user);
    const projects = (await this.projects.findAll({
      where,
      attributes: ['id', 'name', 'description', ...TICKET_COUNT_ATTRIBUTES, [literal('COUNT(*) OVER ()'), 'total']],
      order: [
        ['name', 'ASC'],
        ['id', 'ASC'],
      ],
      limit: DASHBOARD_PAGE_SIZE,
      offset: (page - 1) * DASHBOARD_PAGE_SIZE,
      raw: true,
    })) as unknown as ProjectRow[];
    if (projects.length) return { projects, total: Number(projects[0].total) };
    return { projects, total: knownTotal ?? (page > 1 ? await this.projects.count({ where }) : 0) };
  }
  /** Managers see every project, anyone else only the projects they belong to. */
  private visibleTo(user: User): WhereOptions {
    if (user.isManager) return {};
    const userId = this.sequelize.escape(user.id);
    return { id: { [Op.in]: literal(`(SELECT project_id FROM project_members WHERE user_id = ${userId})`) } };
  }

  /**
   * One statement for the listed projects' members as their cards show them: the first
   * CARD_AVATARS of each, earliest first, how many there are, and whether the viewer is one. A
   * card never reads more rows than it shows, however many members a project has.
   */
  private async membersOf(projectIds: string[], viewerId: string): Promise<Map<string, CardMembers>> {
    const rows = await this.sequelize.query<MemberRow>(MEMBERS_SQL, {
      replacements: { projectIds, viewerId, avatars: CARD_AVATARS },
      type: QueryTypes.SELECT,
    });
    const members = new Map<string, CardMembers>();
    for (const row of rows) {
      let card = members.get(row.projectId);
      if (!card)
        members.set(
          row.projectId,
          (card = { first: [], count: Number(row.memberCount), includesViewer: Number(row.includesViewer) === 1 }),
        );
      card.first.push({
        id: row.id,
        name: row.name,
        email: row.email,
        avatar: row.avatar,
        displayName: row.name || row.email,
      });
    }
    return members;
  }
}
