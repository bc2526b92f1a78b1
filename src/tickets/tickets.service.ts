import { Injectable } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { InjectModel } from '@nestjs/sequelize';
import { isUUID } from 'class-validator';
import { col, fn, literal, Op, OptimisticLockError, QueryTypes, Transaction, WhereOptions } from 'sequelize';
import { Sequelize } from 'sequelize-typescript';
import type { User } from '../accounts/user.model';
import type { PersonRow } from '../accounts/accounts.service';
import type { ActivityEntry, ActivityKind } from '../activity/activity-kinds';
import { ActivityService, historyStatementName, newestHistorySql } from '../activity/activity.service';
import { NotAllowed, NotFound } from '../common/errors';
import { MembershipsService } from '../projects/memberships.service';
import { ProjectDeleting } from '../projects/project-events';
import type { Project } from '../projects/project.model';
import { ProjectsService } from '../projects/projects.service';
import type { CreateTicketDto, UpdateTicketDto } from './dto/ticket-form.dto';
import type { TicketSort } from './dto/ticket-list-query.dto';
import { WriteTransactions } from '../database/write-transactions';
import { BoardCard, CardScope, loadBoardCards } from './board-cards';
import { DONE_STATUS } from '../common/board-contract';
import { Ticket, TICKET_STATUSES, TicketPriority, TicketStatus } from './ticket.model';
import { DetailsRead, DetailsRow, DetailsSql, detailsSql, detailsOf } from './ticket-details-row';
import { positional, PositionalStatement, PreparedReads } from '../database/prepared-reads';
import { ChangedTicket, TicketChanged, TicketDeleted } from './ticket-events';
import { beyond, cursorOfTicket, flip, listOrder, ListSort, OrderKey, parseCursor } from './ticket-list-order';
import { ticketSearch } from './ticket-search';

/** What a list row shows: never the (possibly long) description. */
const CARD_ATTRIBUTES = [
  'id',
  'projectId',
  'number',
  'reporterId',
  'assigneeId',
  'title',
  'status',
  'priority',
  'version',
  'commentCount',
  'createdAt',
  'updatedAt',
];

export const COLUMN_SIZE = 50;
export const LIST_PAGE_SIZE = 25;
/** Counting a filtered list stops here ("1,000+"); a search lists its best this many. */
export const LIST_TOTAL_CAP = 1000;

/** The fields a person can change, in the order they are reported. */
export const EDITABLE_FIELDS = ['title', 'description', 'priority', 'status', 'assigneeId'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

const BASE_OF: Record<
  EditableField,
  'baseTitle' | 'baseDescription' | 'basePriority' | 'baseStatus' | 'baseAssigneeId'
> = {
  title: 'baseTitle',
  description: 'baseDescription',
  priority: 'basePriority',
  status: 'baseStatus',
  assigneeId: 'baseAssigneeId',
};

const REPORTER_ATTRIBUTES = ['id', 'email', 'name', 'avatar'];

export interface BoardColumn {
  status: TicketStatus;
  tickets: BoardCard[];
  /** Number of the last ticket shown, to load the next ones from; null when the column is complete. */
  nextBefore: number | null;
  total: number;
}

/** Whose tickets: one person's (their id), the unassigned ones (null), or everyone's (undefined). */
export type AssigneeFilter = string | null | undefined;

export interface TicketFilters {
  assigneeId?: AssigneeFilter;
  status?: TicketStatus;
  priority?: TicketPriority;
  q?: string;
  sort?: TicketSort;
  page?: number | 'last';
  /** Keyset cursors (ListCursor): the page after or before the ticket they name. */
  after?: string;
  before?: string;
}

/** A neighbouring page: its number when known, and the cursor to seek it from (none for the first page). */
export interface PageLink {
  page: number | null;
  after?: string;
  before?: string;
}

export interface TicketPage {
  tickets: Ticket[];
  /** Exact, or LIST_TOTAL_CAP when `capped` (more match). */
  total: number;
  capped: boolean;
  /** The page's number; null for the last page of a list whose length is not counted. */
  page: number | null;
  /** Null when the list is longer than the count goes (not a search). */
  pageCount: number | null;
  next: PageLink | null;
  previous: PageLink | null;
  /** The page asked for lies past the end (an old bookmark, a list that shrank). */
  beyondEnd: boolean;
}

export type UpdateResult = { ok: true; ticket: Ticket } | { ok: false; ticket: Ticket; conflicts: EditableField[] };

@Injectable()
export class TicketsService {
  constructor(
    @InjectModel(Ticket) private readonly tickets: typeof Ticket,
    private readonly projects: ProjectsService,
    private readonly memberships: MembershipsService,
    private readonly sequelize: Sequelize,
    private readonly transactions: WriteTransactions,
    private readonly activity: ActivityService,
    private readonly events: EventEmitter2,
    private readonly reads: PreparedReads,
  ) {}

  /**
   * Creates a ticket with the project's next number, taken in the ticket's transaction: a failed
   * insert gives the number back, so numbers have neither gaps nor duplicates.
   */
  create(project: Project, reporter: User, input: CreateTicketDto): Promise<Ticket> {
    return this.write(async (transaction) => {
      if (input.assigneeId) await this.assertAssignable(project, input.assigneeId, transaction);
      const ticketSeq = await this.projects.takeTicketNumber(project.id, transaction);
      const ticket = await this.tickets.create(
        {
          projectId: project.id,
          reporterId: reporter.id,
          assigneeId: input.assigneeId ?? null,
          number: ticketSeq,
          title: input.title,
          description: input.description ?? '',
          priority: input.priority,
          status: input.status,
        },
        { transaction },
      );
      await this.activity.record([{ ticketId: ticket.id, actorId: reporter.id, kind: 'created' }], transaction);
      await this.announce(
        ticket,
        reporter.id,
        {
          created: true,
          assignedTo: ticket.assigneeId,
          statusFrom: null,
          description: ticket.description ? { from: '', to: ticket.description } : null,
        },
        transaction,
      );
      return ticket;
    });
  }

  /** A ticket of this project with its reporter; NotFound('ticket') for anything else. */
  async find(project: Project, ticketId: string, transaction?: Transaction): Promise<Ticket> {
    const ticket = isUUID(ticketId)
      ? await this.tickets.findOne({
          where: { id: ticketId, projectId: project.id },
          include: [
            { association: 'reporter', attributes: REPORTER_ATTRIBUTES },
            { association: 'assignee', attributes: REPORTER_ATTRIBUTES },
          ],
          transaction,
          // Row lock for writers (PostgreSQL; SQLite writers are serial): only on tickets, not the outer-joined people.
          lock: transaction ? { level: transaction.LOCK.UPDATE, of: this.tickets } : undefined,
        })
      : null;
    if (!ticket) throw new NotFound('ticket');
    return ticket;
  }

  /**
   * The project's ticket as the details modal shows it, a plain row, with the people with access
   * and the first page of its history (`history`: which, see TicketTimeline.firstPageHistory), in
   * one statement. NotFound for another project's or an unknown id.
   */
  async findForDetails(
    project: Project,
    ticketId: string,
    history: { exceptKinds: ActivityKind[]; limit: number },
  ): Promise<DetailsRead> {
    if (!isUUID(ticketId)) throw new NotFound('ticket');
    const details = this.detailsRead(project.id, ticketId, history);
    const [row] = await this.reads.rows<DetailsRow>(details.statement, details.values);
    if (!row) throw new NotFound('ticket');
    return details.read(row);
  }

  /**
   * What findForDetails reads of the project's ticket `ticketId` (a UUID), as SQL (one row or
   * none) with its values and `read`, which makes the details of its row: for findForDetails (as
   * `statement`), and for a statement that folds it in with others. The people with access come
   * from the list this process keeps when it is current (MembershipsService.peopleWithAccessFold).
   * Named per set of history kinds (see historyStatementName).
   */
  detailsRead(projectId: string, ticketId: string, history: { exceptKinds: ActivityKind[]; limit: number }) {
    const name = historyStatementName('ticket-details', history.exceptKinds);
    let sql = this.detailsSqls.get(name);
    if (!sql) {
      const read = detailsSql(
        this.reads,
        this.memberships.peopleWithAccessFoldSql(),
        newestHistorySql(history.exceptKinds),
      );
      this.detailsSqls.set(name, (sql = { ...read, statement: positional(name, read.sql) }));
    }
    const people = this.memberships.peopleWithAccessFold(projectId);
    return {
      name,
      ...sql,
      values: { projectId, ticketId, limit: history.limit, ...people.values },
      read: (row: DetailsRow): DetailsRead => detailsOf(this.reads, row, people.people(row)),
    };
  }

  /** The details' SQL and its prepared statement, per set of history kinds left out (see historyStatementName). */
  private readonly detailsSqls = new Map<string, DetailsSql & { statement: PositionalStatement }>();

  canDelete(ticket: Pick<Ticket, 'reporterId'>, user: User): boolean {
    return user.isManager || ticket.reporterId === user.id;
  }

  /** The ticket, if this user may delete it; NotAllowed (answered as not found) otherwise. */
  async findDeletable(project: Project, ticketId: string, user: User): Promise<Ticket> {
    const ticket = await this.find(project, ticketId);
    if (!this.canDelete(ticket, user)) throw new NotAllowed('delete-ticket');
    return ticket;
  }

  async delete(project: Project, ticketId: string, user: User): Promise<Ticket> {
    return this.write(async (transaction) => {
      const ticket = await this.find(project, ticketId, transaction);
      if (!this.canDelete(ticket, user)) throw new NotAllowed('delete-ticket');
      await ticket.destroy({ transaction });
      await this.events.emitAsync(TicketDeleted.event, new TicketDeleted(changedTicket(ticket), user.id, transaction));
      return ticket;
    });
  }

  /** A project's tickets go before the project itself, in its deletion's transaction (see ProjectDeleting). */
  @OnEvent(ProjectDeleting.event, { suppressErrors: false })
  async deleteAllOf({ projectId, transaction }: ProjectDeleting): Promise<void> {
    await this.tickets.destroy({ where: { projectId }, transaction });
  }

  /**
   * Applies a change made on version `input.version`. When someone saved in between, the change
   * still goes through if it only touches fields the other save left alone (or sets them to the
   * same value); otherwise nothing is written and the conflicting fields are reported.
   */
  update(project: Project, ticketId: string, input: UpdateTicketDto, actor: Pick<User, 'id'>): Promise<UpdateResult> {
    return this.write(async (transaction): Promise<UpdateResult> => {
      const ticket = await this.find(project, ticketId, transaction);
      const submitted = EDITABLE_FIELDS.filter((field) => input[field] !== undefined);
      let changes = submitted;
      if (input.version !== ticket.version) {
        // Fields this sender changed: those that differ from what they saw (all, if we do not know what they saw).
        changes = submitted.filter(
          (field) => input[BASE_OF[field]] === undefined || input[BASE_OF[field]] !== input[field],
        );
        const conflicts = changes.filter(
          (field) =>
            input[field] !== ticket[field] &&
            (input[BASE_OF[field]] === undefined || input[BASE_OF[field]] !== ticket[field]),
        );
        if (conflicts.length) return { ok: false, ticket, conflicts };
      }
      const assignee = input.assigneeId;
      if (changes.includes('assigneeId') && assignee && assignee !== ticket.assigneeId)
        await this.assertAssignable(project, assignee, transaction);
      const history: ActivityEntry[] = changes
        .filter((field) => input[field] !== ticket[field])
        .map((field) => ({
          ticketId: ticket.id,
          actorId: actor.id,
          kind: field === 'status' && input.source === 'board' ? 'moved' : 'changed',
          field,
          from: ticket[field],
          to: input[field],
        }));
      const statusFrom = ticket.status;
      const descriptionFrom = ticket.description;
      for (const field of changes) ticket.set(field, input[field]);
      if (ticket.changed()) await ticket.save({ transaction });
      await this.activity.record(history, transaction);
      const changed = new Set(history.map((entry) => entry.field));
      if (changed.size)
        await this.announce(
          ticket,
          actor.id,
          {
            created: false,
            assignedTo: changed.has('assigneeId') ? ticket.assigneeId : null,
            statusFrom: changed.has('status') ? statusFrom : null,
            description: changed.has('description') ? { from: descriptionFrom, to: ticket.description } : null,
          },
          transaction,
        );
      return { ok: true, ticket };
    }).catch(async (error: unknown) => {
      // Defensive: the row is locked or writes are serial, but a save from elsewhere (the REPL) could slip in.
      if (!(error instanceof OptimisticLockError)) throw error;
      return { ok: false, ticket: await this.find(project, ticketId), conflicts: [...EDITABLE_FIELDS] };
    });
  }

  /** Whom a ticket of this project can be assigned to: the people with access to it (only `userId`, when given). */
  assignableIn(project: Project, userId?: string): Promise<PersonRow[]> {
    return this.memberships.peopleWithAccess(project.id, { userId });
  }

  /** Assignees are chosen among the people with access to the project (MembershipsService.peopleWithAccess). */
  private async assertAssignable(project: Project, userId: string, transaction: Transaction): Promise<void> {
    if (!(await this.memberships.hasAccess(project.id, userId, transaction)))
      throw new NotAllowed('assignee-without-access');
  }

  /**
   * Unassigns a person from the open (not done) tickets of the projects they no longer have
   * access to (only in `projectId`, when given), in the caller's transaction: a removed member,
   * a deactivated account, a demoted manager. Done tickets keep their assignee. A fixed number of
   * statements however many tickets: their ids, one UPDATE (which raises each ticket's version, so
   * an open edit form sees the change, and through the triggers the board versions) and one
   * history INSERT (`access-lost`). Returns how many tickets were unassigned.
   */
  async unassignWithoutAccess(userId: string, transaction: Transaction, projectId?: string): Promise<number> {
    const access = await this.memberships.projectsAccessibleTo(userId, transaction);
    if (access === 'all') return 0;
    const conditions: WhereOptions[] = [{ assigneeId: userId }, { status: { [Op.ne]: DONE_STATUS } }];
    if (projectId) conditions.push({ projectId });
    if (access.length) conditions.push({ projectId: { [Op.notIn]: access } });
    const where = { [Op.and]: conditions };
    const ids = (await this.tickets.findAll({ attributes: ['id'], where, transaction, raw: true })).map(({ id }) => id);
    if (!ids.length) return 0;
    const [unassigned] = await this.tickets.update(
      { assigneeId: null, version: literal('version + 1') },
      { where: { id: ids }, transaction },
    );
    await this.activity.record(
      ids.map((ticketId) => ({ ticketId, actorId: userId, kind: 'access-lost', field: 'assigneeId', from: userId })),
      transaction,
    );
    return unassigned;
  }

  /**
   * Moves a ticket's comment count with the comment's own write (CommentsService). Not a change
   * of the ticket: the version stays, so an open edit form does not become stale.
   */
  async countComment(ticketId: string, delta: 1 | -1, transaction: Transaction): Promise<void> {
    await this.sequelize.query('UPDATE tickets SET comment_count = comment_count + :delta WHERE id = :ticketId', {
      replacements: { delta, ticketId },
      type: QueryTypes.UPDATE,
      transaction,
    });
  }

  /** Tells the modules above about a write, in its transaction (see TicketChanged). */
  private async announce(
    ticket: Ticket,
    actorId: string,
    change: TicketChanged['change'],
    transaction: Transaction,
  ): Promise<void> {
    await this.events.emitAsync(
      TicketChanged.event,
      new TicketChanged(changedTicket(ticket), actorId, change, transaction),
    );
  }

  private write<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.transactions.run(work);
  }

  /**
   * The board: up to COLUMN_SIZE newest tickets per status with their reporters, and the size of
   * each column (the project's counters). One statement whatever the number of tickets.
   */
  async board(project: Project, assigneeId?: AssigneeFilter): Promise<BoardColumn[]> {
    const scope: CardScope = { projectId: project.id, assigneeId };
    const cards = await loadBoardCards(
      this.sequelize,
      scope,
      TICKET_STATUSES.map((status) => ({ status })),
      COLUMN_SIZE + 1,
    );
    const totals = assigneeId === undefined ? project.ticketCounts() : await this.countsOf(scope);
    return TICKET_STATUSES.map((status) => ({
      ...this.column(status, cards.get(status) ?? []),
      total: totals[status],
    }));
  }

  /** Tickets per status of one assignee (or the unassigned ones): one statement on tickets_project_assignee_status_number. */
  private async countsOf(scope: CardScope): Promise<Record<TicketStatus, number>> {
    const rows = (await this.tickets.findAll({
      attributes: ['status', [fn('COUNT', col('id')), 'count']],
      where: { projectId: scope.projectId, assigneeId: scope.assigneeId ?? null },
      group: ['status'],
      raw: true,
    })) as unknown as { status: TicketStatus; count: number | string }[];
    const counts = Object.fromEntries(TICKET_STATUSES.map((status) => [status, 0])) as Record<TicketStatus, number>;
    for (const row of rows) counts[row.status] = Number(row.count);
    return counts;
  }

  /** The next COLUMN_SIZE tickets of one column, older than ticket number `before`. */
  async columnPage(
    project: Project,
    status: TicketStatus,
    before?: number,
    assigneeId?: AssigneeFilter,
  ): Promise<Omit<BoardColumn, 'total'>> {
    const scope: CardScope = { projectId: project.id, assigneeId };
    const cards = await loadBoardCards(this.sequelize, scope, [{ status, before }], COLUMN_SIZE + 1);
    return this.column(status, cards.get(status) ?? []);
  }

  /** A column from COLUMN_SIZE + 1 cards: the extra one only tells that there are more. */
  private column(status: TicketStatus, cards: BoardCard[]): Omit<BoardColumn, 'total'> {
    const tickets = cards.slice(0, COLUMN_SIZE);
    return { status, tickets, nextBefore: cards.length > COLUMN_SIZE ? tickets[tickets.length - 1].number : null };
  }

  /**
   * The list view: filtered, sorted, one page, with the reporters and assignees. One statement for
   * the page, and one more to count when the counters of the project cannot tell (a search, an
   * assignee or a priority filter): that count stops at LIST_TOTAL_CAP. Deep pages cost what the
   * first does: Previous and Next seek from the neighbouring row (keyset), and a page nearer the
   * end than the start is read backwards from the end.
   */
  async list(project: Project, filters: TicketFilters): Promise<TicketPage> {
    const sort: ListSort = filters.q
      ? (filters.sort ?? 'relevance')
      : filters.sort === 'relevance'
        ? 'newest'
        : (filters.sort ?? 'newest');
    const nothing: TicketPage = {
      tickets: [],
      total: 0,
      capped: false,
      page: 1,
      pageCount: 1,
      next: null,
      previous: null,
      beyondEnd: false,
    };
    const conditions: WhereOptions[] = [{ projectId: project.id }];
    if (filters.assigneeId !== undefined) conditions.push({ assigneeId: filters.assigneeId });
    if (filters.status) conditions.push({ status: filters.status });
    if (filters.priority) conditions.push({ priority: filters.priority });
    let searchOrder: OrderKey[] = [];
    if (filters.q) {
      const search = ticketSearch(this.sequelize.getDialect(), filters.q, (text) => this.sequelize.escape(text));
      if (!search) return nothing;
      conditions.push(search.where);
      searchOrder = search.order.map((expression) => [expression, 'ASC']);
    }
    const { total, capped } = await this.listTotal(project, filters, conditions);
    const keys = listOrder(sort, searchOrder);
    // The best LIST_TOTAL_CAP matches of a search are listed; other lists page on by keyset.
    const pageCount = !capped
      ? Math.max(1, Math.ceil(total / LIST_PAGE_SIZE))
      : sort === 'relevance'
        ? LIST_TOTAL_CAP / LIST_PAGE_SIZE
        : null;
    const cursor = sort === 'relevance' ? undefined : (filters.after ?? filters.before);
    const read = (where: WhereOptions[], backwards: boolean, limit: number, offset = 0) =>
      this.tickets.findAll({
        attributes: CARD_ATTRIBUTES,
        where: { [Op.and]: [...conditions, ...where] },
        include: [
          { association: 'reporter', attributes: REPORTER_ATTRIBUTES },
          { association: 'assignee', attributes: REPORTER_ATTRIBUTES },
        ],
        order: keys.map(([key, direction]) => [key, backwards ? flip(direction) : direction]) as never,
        limit,
        offset,
      });
    const label = typeof filters.page === 'number' ? filters.page : null;
    let rows: Ticket[];
    let hasNext: boolean;
    let hasPrevious: boolean;
    let page: number | null;
    if (cursor) {
      const backwards = filters.after === undefined;
      const found = await read([beyond(sort, parseCursor(cursor), backwards)], backwards, LIST_PAGE_SIZE + 1);
      const more = found.length > LIST_PAGE_SIZE;
      rows = found.slice(0, LIST_PAGE_SIZE);
      if (backwards) rows.reverse();
      [hasNext, hasPrevious] = backwards ? [true, more] : [more, true];
      page = label;
      if (!rows.length) return { ...nothing, total, capped, pageCount, beyondEnd: true };
    } else if (filters.page === 'last' && pageCount === null) {
      const found = await read([], true, LIST_PAGE_SIZE + 1);
      rows = found.slice(0, LIST_PAGE_SIZE).reverse();
      [hasNext, hasPrevious, page] = [false, found.length > LIST_PAGE_SIZE, null];
    } else {
      const wanted = filters.page === 'last' ? pageCount! : (label ?? 1);
      if (pageCount !== null && wanted > pageCount) return { ...nothing, total, capped, pageCount, beyondEnd: true };
      const fromStart = (wanted - 1) * LIST_PAGE_SIZE;
      const fromEnd = Math.max(0, total - wanted * LIST_PAGE_SIZE);
      if (!capped && fromEnd < fromStart) {
        rows = (await read([], true, total - fromStart - fromEnd, fromEnd)).reverse();
        hasNext = wanted < pageCount!;
      } else {
        const found = await read([], false, LIST_PAGE_SIZE + 1, fromStart);
        rows = found.slice(0, LIST_PAGE_SIZE);
        hasNext = found.length > LIST_PAGE_SIZE && (pageCount === null || wanted < pageCount);
      }
      [hasPrevious, page] = [wanted > 1, wanted];
    }
    const cursorOf = (ticket: Ticket) => cursorOfTicket(sort, ticket);
    return {
      tickets: rows,
      total,
      capped,
      page,
      pageCount,
      beyondEnd: false,
      next:
        hasNext && rows.length
          ? sort === 'relevance'
            ? { page: (page ?? 0) + 1 }
            : { page: page === null ? null : page + 1, after: cursorOf(rows[rows.length - 1]) }
          : null,
      previous:
        hasPrevious && rows.length
          ? page !== null && page <= 2
            ? { page: 1 }
            : sort === 'relevance'
              ? { page: page! - 1 }
              : { page: page === null ? null : page - 1, before: cursorOf(rows[0]) }
          : null,
    };
  }

  /** How many tickets the list holds: from the project's counters when they tell, else counted up to the cap. */
  private async listTotal(
    project: Project,
    filters: TicketFilters,
    conditions: WhereOptions[],
  ): Promise<{ total: number; capped: boolean }> {
    if (filters.assigneeId === undefined && !filters.priority && !filters.q) {
      const counts = project.ticketCounts();
      const total = filters.status ? counts[filters.status] : Object.values(counts).reduce((a, b) => a + b, 0);
      return { total, capped: false };
    }
    const hits = await this.tickets.findAll({
      attributes: [[literal('1'), 'hit']],
      where: { [Op.and]: conditions },
      limit: LIST_TOTAL_CAP + 1,
      raw: true,
    });
    return { total: Math.min(hits.length, LIST_TOTAL_CAP), capped: hits.length > LIST_TOTAL_CAP };
  }
}

/** The fields of a ticket that listeners of its events read. */
export function changedTicket(ticket: Ticket): ChangedTicket {
  return {
    id: ticket.id,
    projectId: ticket.projectId,
    reporterId: ticket.reporterId,
    assigneeId: ticket.assigneeId,
    status: ticket.status,
  };
}
