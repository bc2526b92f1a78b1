import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { User } from '../accounts/user.model';
import { PRIORITY_LABELS, STATUS_LABELS, TICKET_STATUSES, TicketStatus } from '../common/board-contract';
import { markdownToText } from '../common/markdown';
import { positional, PositionalStatement, PreparedReads } from '../database/prepared-reads';
import { AssignedPage, AssignedTicket, AssignedTickets } from './assigned-tickets';
import { CardKey, keptCardHtml, projectCardHtml } from './project-card-html';
import { Project, TICKET_COUNT_ATTRIBUTES, ticketCountsOf } from './project.model';

export const DASHBOARD_PAGE_SIZE = 24;
export const ASSIGNED_PAGE_SIZE = 10;
export const CARD_AVATARS = 5;
export const EXCERPT_LENGTH = 160;

export interface ProjectCard extends CardKey {
  name: string;
  excerpt: string;
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

/** A project of the dashboard's page, as a plain row with its ticket counters and board version. */
type ProjectRow = Pick<Project, 'id' | 'name' | 'description'> & Record<string, unknown> & { version: number | string };

/** What a card shows of a project's members. */
interface CardMembers {
  first: CardPerson[];
  count: number;
  includesViewer: boolean;
}

/** A row of the cards' statement: a project, and one of the members its card shows (null fields when none). */
type CardRow = ProjectRow & {
  memberCount: number | string | null;
  includesViewer: number | string | null;
  member?: { id: string | null; name: string; email: string; avatar: string | null };
};

/** A row of the page's statement: which card, at which version, seen by a member or not. */
type KeyRow = { id: string; version: number | string; isMember: number | string | boolean };

/**
 * The ids of the projects a person may see, as a subquery on `:userId`: their own (a manager's,
 * all of them, is no condition at all).
 */
const MEMBER_PROJECTS = 'SELECT project_id FROM project_members WHERE user_id = :userId';

/** Which projects a page lists: one prepared statement per visibility. */
type Visibility = 'all' | 'own';

const visibleProjects = (visibility: Visibility) => (visibility === 'own' ? `WHERE p.id IN (${MEMBER_PROJECTS})` : '');

/**
 * The page of projects visible to `:userId`, by name (index projects_name_id): the key of each
 * card (project, board version, whether the viewer is a member), numbered by `position`. A few
 * columns per card, whatever a card shows.
 */
function pageKeysSql(visibility: Visibility): { sql: string; columns: string[] } {
  const isMember =
    visibility === 'own'
      ? '1'
      : 'CASE WHEN EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = :userId) THEN 1 ELSE 0 END';
  const sql = `SELECT p.id, p.board_version AS version, ${isMember} AS "isMember",
      ROW_NUMBER() OVER (ORDER BY p.name, p.id) AS position
    FROM projects p ${visibleProjects(visibility)}
    ORDER BY p.name, p.id LIMIT :limit OFFSET :offset`;
  return { sql, columns: ['id', 'version', 'isMember'] };
}

/**
 * The same page with everything its cards show, read when a card's rendering is not kept: each
 * project with its ticket counters and board version, joined to its first members (by when they
 * joined; up to `:avatars`), its member count, and whether the viewer is one: a row per member
 * shown, one for a project without members. A card never reads more rows than it shows, however
 * many members a project has.
 */
function cardsSql(visibility: Visibility): string {
  const attributes = Project.getAttributes();
  const counters = TICKET_COUNT_ATTRIBUTES.map(
    (attribute) => `p.${attributes[attribute].field ?? attribute} AS "${attribute}"`,
  );
  return `WITH page AS (
      SELECT p.id, p.name, p.description, ${counters.join(', ')}, p.board_version AS version
      FROM projects p ${visibleProjects(visibility)}
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

const wholePage = (page: number) => Math.max(1, Math.floor(page) || 1);
const pageCount = (total: number, size: number) => Math.max(1, Math.ceil(total / size));

/** Which page of each list: the projects and "Assigned to me". */
interface Pages {
  projects: number;
  assigned: number;
}

/** The row of the dashboard's statement: its lists as JSON, and the number of projects. */
export interface DashboardRow {
  keysJson: unknown;
  total: number | string;
  assignedJson: unknown;
}

const FIRST_PAGES: Pages = { projects: 1, assigned: 1 };

/** What the dashboard's statement reads: its page of card keys, their total, and the page of "Assigned to me". */
interface DashboardRead {
  keys: CardKey[];
  total: number;
  assigned: AssignedPage;
}

/**
 * The dashboard: a page of the projects a user may see (their own; all for a manager), each
 * with members and ticket counts per status, and the open tickets assigned to them. The page
 * opened most after the board, so it costs one prepared statement whatever the number of
 * projects and tickets: the page's card keys (project, board version, the viewer's membership),
 * the total, and the tickets module's page of "Assigned to me" folded in as JSON. Cards are kept
 * rendered by their key (project-card-html.ts); only when one is not does a second statement
 * read what the page's cards show.
 */
@Injectable()
export class DashboardService {
  private readonly statements: Record<Visibility, PositionalStatement>;
  /**
   * The first pages (what `/` shows) as SQL on the signed-in person's users row `u`, to read in
   * the same statement as the session (SignedInContext.forPageWith); its row goes to firstPage.
   */
  readonly firstPageRead: { name: string; sql: string; columns: string[]; values: Record<string, unknown> };
  private readonly cardStatements: Record<Visibility, PositionalStatement>;

  constructor(
    private readonly reads: PreparedReads,
    private readonly assignedTickets: AssignedTickets,
  ) {
    const columns = (visibility: Visibility) => {
      const keys = pageKeysSql(visibility);
      const assigned = assignedTickets.openSql(visibility === 'own' ? MEMBER_PROJECTS : null);
      return {
        keysJson: reads.jsonRows(keys.sql, keys.columns),
        total: `(SELECT COUNT(*) FROM projects p ${visibleProjects(visibility)})`,
        assignedJson: reads.jsonRows(assigned.sql, assigned.columns),
      };
    };
    const select = (parts: Record<string, string>) =>
      Object.entries(parts)
        .map(([alias, sql]) => `${sql} AS "${alias}"`)
        .join(', ');
    const all = columns('all');
    const own = columns('own');
    this.statements = {
      all: positional('dashboard-all', `SELECT ${select(all)}`),
      own: positional('dashboard-own', `SELECT ${select(own)}`),
    };
    // The first page as one row on the signed-in statement's `u`, whichever the person's visibility.
    const byRole = Object.fromEntries(
      Object.keys(all).map((alias) => [
        alias,
        `CASE WHEN u.role = 'MANAGER' THEN ${all[alias as keyof typeof all]} ELSE ${own[alias as keyof typeof own]} END`,
      ]),
    );
    this.firstPageRead = {
      name: 'dashboard',
      sql: `SELECT ${select(byRole)}, 1 AS position`.replace(/(?<!:):userId\b/g, 'u.id'),
      columns: Object.keys(all),
      values: this.values(FIRST_PAGES),
    };
    this.cardStatements = {
      all: positional('dashboard-cards-all', cardsSql('all')),
      own: positional('dashboard-cards-own', cardsSql('own')),
    };
  }

  /** The dashboard page: the person's projects (page `projectsPage`) and the tickets assigned to them (page `assignedPage`). */
  async page(user: User, projectsPage = 1, assignedPage = 1) {
    let pages: Pages = { projects: wholePage(projectsPage), assigned: wholePage(assignedPage) };
    let read = await this.read(user, pages);
    const pastTheEnd =
      (!read.keys.length && pages.projects > 1) || (!read.assigned.tickets.length && pages.assigned > 1);
    if (pastTheEnd) {
      // A page past the end (a bookmark, projects deleted or tickets closed meanwhile): the last
      // page instead. No row of "Assigned to me" carries its total there: the first page's do.
      const first = await this.read(user, FIRST_PAGES);
      pages = {
        projects: Math.min(pages.projects, pageCount(first.total, DASHBOARD_PAGE_SIZE)),
        assigned: Math.min(pages.assigned, pageCount(first.assigned.total, ASSIGNED_PAGE_SIZE)),
      };
      read = await this.read(user, pages);
    }
    return this.locals(user, read, pages);
  }

  /** The first pages from a row of firstPageRead. */
  async firstPage(user: User, row: DashboardRow) {
    return this.locals(user, this.readOf(row), FIRST_PAGES);
  }

  private async locals(user: User, read: DashboardRead, pages: Pages) {
    const cards = await this.cardsHtml(user, read.keys, pages.projects);
    return {
      title: 'Dashboard',
      ...pager(read.total, pages.projects, DASHBOARD_PAGE_SIZE),
      cards: cards.map((html) => ({ html })),
      assigned: assignedPanel(read.assigned, pages.assigned),
    };
  }

  private visibility(user: User): Visibility {
    return user.isManager ? 'all' : 'own';
  }

  private values(pages: Pages) {
    return {
      limit: DASHBOARD_PAGE_SIZE,
      offset: (pages.projects - 1) * DASHBOARD_PAGE_SIZE,
      assignedLimit: ASSIGNED_PAGE_SIZE,
      assignedOffset: (pages.assigned - 1) * ASSIGNED_PAGE_SIZE,
    };
  }

  private async read(user: User, pages: Pages): Promise<DashboardRead> {
    const [row] = await this.reads.rows<DashboardRow>(this.statements[this.visibility(user)], {
      userId: user.id,
      ...this.values(pages),
    });
    return this.readOf(row);
  }

  private readOf(row: DashboardRow): DashboardRead {
    return {
      keys: this.reads.listOf<KeyRow>(row.keysJson).map(cardKeyOf),
      total: Number(row.total),
      assigned: this.assignedTickets.pageOf(this.reads.listOf(row.assignedJson)),
    };
  }

  /** The page's cards as HTML: the kept renderings when every one is kept, else the page read and rendered anew. */
  private async cardsHtml(user: User, keys: CardKey[], page: number): Promise<string[]> {
    const kept = keys.map((key) => keptCardHtml(key, user.isManager));
    if (kept.every((html) => html !== undefined)) return kept;
    const rows = await this.reads.rows<CardRow>(this.cardStatements[this.visibility(user)], {
      userId: user.id,
      limit: DASHBOARD_PAGE_SIZE,
      offset: (page - 1) * DASHBOARD_PAGE_SIZE,
      avatars: CARD_AVATARS,
    });
    return projectCards(rows).map((card) => projectCardHtml(card, user.isManager));
  }
}

const cardKeyOf = (row: KeyRow): CardKey => ({
  id: row.id,
  version: Number(row.version),
  isMember: row.isMember === true || Number(row.isMember) === 1,
});

function pager(total: number, page: number, size: number) {
  const pages = pageCount(total, size);
  return { total, page, pages, previousPage: page > 1 ? page - 1 : null, nextPage: page < pages ? page + 1 : null };
}

/** The cards of a page of projects, from its rows (a row per member shown, one for a project without members). */
function projectCards(rows: CardRow[]): ProjectCard[] {
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
  return projects.map((project): ProjectCard => {
    const people = members.get(project.id)!;
    const perStatus = ticketCountsOf(project);
    const statusCounts = TICKET_STATUSES.map((status) => ({
      status,
      label: STATUS_LABELS[status],
      count: perStatus[status],
    }));
    return {
      id: project.id,
      version: Number(project.version),
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
}

/** "Assigned to me": the page's open tickets, newest activity first. */
function assignedPanel({ tickets, total }: AssignedPage, page: number): AssignedPanel {
  return {
    tickets: tickets.map((ticket) => ({
      ...ticket,
      url: `/projects/${ticket.projectId}/tickets/${ticket.id}`,
      projectUrl: `/projects/${ticket.projectId}`,
      statusLabel: STATUS_LABELS[ticket.status],
      priorityLabel: PRIORITY_LABELS[ticket.priority],
    })),
    ...pager(total, page, ASSIGNED_PAGE_SIZE),
  };
}
