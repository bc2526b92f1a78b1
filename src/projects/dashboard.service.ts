import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { User } from '../accounts/user.model';
import { PRIORITY_LABELS, STATUS_LABELS, TICKET_STATUSES, TicketStatus } from '../common/board-contract';
import { markdownToText } from '../common/markdown';
import { positional, PositionalStatement, PreparedReads } from '../database/prepared-reads';
import { AssignedPage, AssignedTicket, AssignedTickets } from './assigned-tickets';
import { projectCardHtml } from './project-card-html';
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
  member?: { id: string | null; name: string; email: string; avatar: string | null };
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
function pageSql(visibility: Visibility): { sql: string; columns: string[] } {
  const attributes = Project.getAttributes();
  const counters = TICKET_COUNT_ATTRIBUTES.map(
    (attribute) => `p.${attributes[attribute].field ?? attribute} AS "${attribute}"`,
  );
  const columns = [
    ...['id', 'name', 'description', ...TICKET_COUNT_ATTRIBUTES, 'total'],
    ...['member.id', 'member.name', 'member.email', 'member.avatar', 'memberCount', 'includesViewer'],
  ];
  const sql = `WITH page AS (
      SELECT p.id, p.name, p.description, ${counters.join(', ')}, COUNT(*) OVER () AS total
      FROM projects p ${visibility === 'own' ? `WHERE p.id IN (${MEMBER_PROJECTS})` : ''}
      ORDER BY p.name, p.id LIMIT :limit OFFSET :offset
    )
    SELECT page.*, r.id AS "member.id", r.name AS "member.name", r.email AS "member.email",
      r.avatar AS "member.avatar", r."memberCount", r."includesViewer",
      ROW_NUMBER() OVER (ORDER BY page.name, page.id, r.position) AS position
    FROM page LEFT JOIN (
      SELECT m.project_id, u.id, u.name, u.email, u.avatar,
        ROW_NUMBER() OVER (PARTITION BY m.project_id ORDER BY m.created_at, m.user_id) AS position,
        COUNT(*) OVER (PARTITION BY m.project_id) AS "memberCount",
        MAX(CASE WHEN m.user_id = :userId THEN 1 ELSE 0 END) OVER (PARTITION BY m.project_id) AS "includesViewer"
      FROM project_members m JOIN users u ON u.id = m.user_id
      WHERE m.project_id IN (SELECT id FROM page)
    ) r ON r.project_id = page.id AND r.position <= :avatars
    ORDER BY page.name, page.id, r.position`;
  return { sql, columns };
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

const wholePage = (page: number) => Math.max(1, Math.floor(page) || 1);
const pageCount = (total: number, size: number) => Math.max(1, Math.ceil(total / size));

/** Which page of each list: the projects and "Assigned to me". */
interface Pages {
  projects: number;
  assigned: number;
}

/** What the dashboard's statement reads: the rows of its page of projects (a row per member shown) and of "Assigned to me". */
interface DashboardRead {
  cards: PageRow[];
  assigned: AssignedPage;
}

/**
 * The dashboard: a page of the projects a user may see (their own; all for a manager), each
 * with members and ticket counts per status, and the open tickets assigned to them. One
 * prepared statement whatever the number of projects and tickets (the dashboard is the page
 * opened most after the board): the page of projects with their ticket counters, total and
 * first members, and the tickets module's page of "Assigned to me", each folded in as JSON.
 */
@Injectable()
export class DashboardService {
  private readonly statements: Record<Visibility, PositionalStatement>;

  constructor(
    private readonly reads: PreparedReads,
    private readonly assignedTickets: AssignedTickets,
  ) {
    const statement = (visibility: Visibility) => {
      const cards = pageSql(visibility);
      const assigned = assignedTickets.openSql(visibility === 'own' ? MEMBER_PROJECTS : null);
      return positional(
        `dashboard-${visibility}`,
        `SELECT ${reads.jsonRows(cards.sql, cards.columns)} AS "cardsJson",
          ${reads.jsonRows(assigned.sql, assigned.columns)} AS "assignedJson"`,
      );
    };
    this.statements = { all: statement('all'), own: statement('own') };
  }

  /** The dashboard page: the person's projects (page `projectsPage`) and the tickets assigned to them (page `assignedPage`). */
  async page(user: User, projectsPage = 1, assignedPage = 1) {
    const wanted = { projects: wholePage(projectsPage), assigned: wholePage(assignedPage) };
    let pages = wanted;
    let read = await this.read(user, pages);
    const pastTheEnd =
      (!read.cards.length && pages.projects > 1) || (!read.assigned.tickets.length && pages.assigned > 1);
    if (pastTheEnd) {
      // A page past the end (a bookmark, projects deleted or tickets closed meanwhile): the last
      // page instead. No row carries the totals there: the first pages' do.
      const first = await this.read(user, { projects: 1, assigned: 1 });
      pages = {
        projects: Math.min(pages.projects, pageCount(totalOf(first.cards), DASHBOARD_PAGE_SIZE)),
        assigned: Math.min(pages.assigned, pageCount(first.assigned.total, ASSIGNED_PAGE_SIZE)),
      };
      read = await this.read(user, pages);
    }
    const projects = projectCards(read.cards, pages.projects);
    return {
      title: 'Dashboard',
      ...projects,
      cards: projects.cards.map((card) => ({ ...card, html: projectCardHtml(card, user.isManager) })),
      assigned: assignedPanel(read.assigned, pages.assigned),
    };
  }

  private async read(user: User, pages: Pages): Promise<DashboardRead> {
    const [row] = await this.reads.rows<{ cardsJson: unknown; assignedJson: unknown }>(
      this.statements[user.isManager ? 'all' : 'own'],
      {
        userId: user.id,
        limit: DASHBOARD_PAGE_SIZE,
        offset: (pages.projects - 1) * DASHBOARD_PAGE_SIZE,
        avatars: CARD_AVATARS,
        assignedLimit: ASSIGNED_PAGE_SIZE,
        assignedOffset: (pages.assigned - 1) * ASSIGNED_PAGE_SIZE,
      },
    );
    return {
      cards: this.reads.listOf<PageRow>(row.cardsJson),
      assigned: this.assignedTickets.pageOf(this.reads.listOf(row.assignedJson)),
    };
  }
}

const totalOf = (rows: PageRow[]) => (rows.length ? Number(rows[0].total) : 0);

/** The cards of a page of projects, from its rows (a row per member shown, one for a project without members). */
function projectCards(rows: PageRow[], page: number): Dashboard {
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
    if (member?.id) card.first.push({ ...member, id: member.id, displayName: member.name || member.email });
  }
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
  const total = totalOf(rows);
  const pages = pageCount(total, DASHBOARD_PAGE_SIZE);
  return {
    cards,
    total,
    page,
    pages,
    previousPage: page > 1 ? page - 1 : null,
    nextPage: page < pages ? page + 1 : null,
  };
}

/** "Assigned to me": the page's open tickets, newest activity first. */
function assignedPanel({ tickets, total }: AssignedPage, page: number): AssignedPanel {
  const pages = pageCount(total, ASSIGNED_PAGE_SIZE);
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
