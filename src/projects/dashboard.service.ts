import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { User } from '../accounts/user.model';
import { PRIORITY_LABELS, STATUS_LABELS, TICKET_STATUSES, TicketStatus } from '../common/board-contract';
import { markdownToText } from '../common/markdown';
import { positional, PositionalStatement, PreparedReads } from '../database/prepared-reads';
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

/** A row of the page's statement: a project, and one of the members its card shows (null fields when none). */
type PageRow = ProjectRow & {
  memberCount: number | string | null;
  includesViewer: number | string | null;
  member: { id: string | null; name: string; email: string; avatar: string | null };
};

/**
 * The ids of the projects a person may see, as a subquery on `:userId`: their own (a manager's,
 * all of them, is no condition at all).
 */
const MEMBER_PROJECTS = 'SELECT project_id FROM project_members WHERE user_id = :userId';

/** Which projects a page lists: one prepared statement per visibility. */
type Visibility = 'all' | 'own';

/**
 * A page of the projects visible to `:userId`, by name, each with its ticket counters and the
 * total (a window count), joined to the first members of each (by when they joined; up to
 * `:avatars`), its member count, and whether the viewer is one: a row per member shown, one for
 * a project without members. A card never reads more rows than it shows, however many members
 * a project has.
 */
function pageSql(visibility: Visibility): string {
  const attributes = Project.getAttributes();
  const counters = TICKET_COUNT_ATTRIBUTES.map(
    (attribute) => `p.${attributes[attribute].field ?? attribute} AS "${attribute}"`,
  );
  return `WITH page AS (
      SELECT p.id, p.name, p.description, ${counters.join(', ')}, COUNT(*) OVER () AS total
      FROM projects p ${visibility === 'own' ? `WHERE p.id IN (${MEMBER_PROJECTS})` : ''}
      ORDER BY p.name, p.id LIMIT :limit OFFSET :offset
    )
    SELECT page.*, r.id AS "member.id", r.name AS "member.name", r.email AS "member.email",
      r.avatar AS "member.avatar", r."memberCount", r."includesViewer"
    FROM page LEFT JOIN (
      SELECT m.project_id, u.id, u.name, u.email, u.avatar,
        ROW_NUMBER() OVER (PARTITION BY m.project_id ORDER BY m.created_at, m.user_id) AS position,
        COUNT(*) OVER (PARTITION BY m.project_id) AS "memberCount",
        MAX(CASE WHEN m.user_id = :userId THEN 1 ELSE 0 END) OVER (PARTITION BY m.project_id) AS "includesViewer"
      FROM project_members m JOIN users u ON u.id = m.user_id
      WHERE m.project_id IN (SELECT id FROM page)
    ) r ON r.project_id = page.id AND r.position <= :avatars
    ORDER BY page.name, page.id, r.position`;
}

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
 * with members and ticket counts per status. A fixed number of statements whatever the number
 * of projects, prepared (the dashboard is the page opened most after the board): the page of
 * projects with their ticket counters and total, and their members, side by side.
 */
@Injectable()
export class DashboardService {
  private readonly statements: Record<Visibility, PositionalStatement>;

  constructor(
    private readonly reads: PreparedReads,
    private readonly assigned: AssignedTickets,
  ) {
    this.statements = {
      all: positional('dashboard-page-all', pageSql('all')),
      own: positional('dashboard-page-own', pageSql('own')),
    };
  }

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
    let { tickets, total } = await this.assigned.openFor(user.id, this.visibleProjects(user), {
      limit: ASSIGNED_PAGE_SIZE,
      offset: (wanted - 1) * ASSIGNED_PAGE_SIZE,
    });
    const pages = Math.max(1, Math.ceil(total / ASSIGNED_PAGE_SIZE));
    const page = Math.min(wanted, pages);
    // A page past the end (a bookmark, tickets closed meanwhile): the last page instead.
    if (page !== wanted)
      ({ tickets, total } = await this.assigned.openFor(user.id, this.visibleProjects(user), {
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
    let { projects, members, total } = await this.projectsPage(user, wanted);
    const pages = Math.max(1, Math.ceil(total / DASHBOARD_PAGE_SIZE));
    const page = Math.min(wanted, pages);
    // A page past the end (a bookmark, projects deleted meanwhile): the last page instead.
    if (page !== wanted) ({ projects, members, total } = await this.projectsPage(user, page));

    const cards = projects.map((project): ProjectCard => {
      const people = members.get(project.id)!;
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
   * window count), with their members: one statement. A page past the end has no row to carry
   * the total: its total is then that of the first page.
   */
  private async projectsPage(
    user: User,
    page: number,
  ): Promise<{ projects: ProjectRow[]; members: Map<string, CardMembers>; total: number }> {
    const rows = await this.reads.rows<PageRow>(this.statements[user.isManager ? 'all' : 'own'], {
      userId: user.id,
      limit: DASHBOARD_PAGE_SIZE,
      offset: (page - 1) * DASHBOARD_PAGE_SIZE,
      avatars: CARD_AVATARS,
    });
    const projects: ProjectRow[] = [];
    const members = new Map<string, CardMembers>();
    for (const row of rows) {
      let card = members.get(row.id);
      if (!card) {
        projects.push(row);
        members.set(
          row.id,
          (card = { first: [], count: Number(row.memberCount ?? 0), includesViewer: Number(row.includesViewer) === 1 }),
        );
      }
      const { member } = row;
      if (member.id !== null) card.first.push({ ...member, id: member.id, displayName: member.name || member.email });
    }
    if (projects.length) return { projects, members, total: Number(projects[0].total) };
    if (page === 1) return { projects, members, total: 0 };
    return { projects, members, total: (await this.projectsPage(user, 1)).total };
  }

  /** The projects the user may see, as a subquery on `:userId` for the tickets module, or null for all of them. */
  private visibleProjects(user: User): string | null {
    return user.isManager ? null : MEMBER_PROJECTS;
  }
}
