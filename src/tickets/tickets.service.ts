import { Injectable } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { InjectModel } from '@nestjs/sequelize';
import { isUUID } from 'class-validator';
import { col, fn, literal, Op, OptimisticLockError, QueryTypes, Transaction, where, WhereOptions } from 'sequelize';
import { Sequelize } from 'sequelize-typescript';
import type { User } from '../accounts/user.model';
import type { ActivityEntry } from '../activity/activity-kinds';
import { ActivityService } from '../activity/activity.service';
import { NotAllowed, NotFound } from '../common/errors';
import { MembershipsService } from '../projects/memberships.service';
import { ProjectDeleting } from '../projects/project-events';
import type { Project } from '../projects/project.model';
import { ProjectsService } from '../projects/projects.service';
import type { CreateTicketDto, UpdateTicketDto } from './dto/ticket-form.dto';
import type { TicketSort } from './dto/ticket-list-query.dto';
import { WriteTransactions } from '../database/write-transactions';
import { BoardCard, CardScope, loadBoardCards } from './board-cards';
import { DONE_STATUS, TICKET_PRIORITIES } from '../common/board-contract';
import { Ticket, TICKET_STATUSES, TicketPriority, TicketStatus } from './ticket.model';
import { ChangedTicket, TicketChanged, TicketDeleted } from './ticket-events';

/** Sorting by priority: the highest first. */
const PRIORITY_RANK = `CASE "Ticket"."priority" ${[...TICKET_PRIORITIES]
  .reverse()
  .map((priority, rank) => `WHEN '${priority}' THEN ${rank}`)
  .join(' ')} END`;

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
  page?: number;
}

export interface TicketPage {
  tickets: Ticket[];
  total: number;
  page: number;
  pageCount: number;
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

  canDelete(ticket: Ticket, user: User): boolean {
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
  assignableIn(project: Project, userId?: string): Promise<User[]> {
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

  /** The list view: filtered, sorted, one page, with the reporters and assignees. Two statements. */
  async list(project: Project, filters: TicketFilters): Promise<TicketPage> {
    const conditions: WhereOptions[] = [{ projectId: project.id }];
    if (filters.assigneeId !== undefined) conditions.push({ assigneeId: filters.assigneeId });
    if (filters.status) conditions.push({ status: filters.status });
    if (filters.priority) conditions.push({ priority: filters.priority });
    if (filters.q) {
      const matches: WhereOptions[] = [this.contains('title', filters.q), this.contains('description', filters.q)];
      // "#12" (or "12") also finds ticket number 12.
      const number = /^#?(\d{1,9})$/.exec(filters.q.trim());
      if (number) matches.push({ number: Number(number[1]) });
      conditions.push({ [Op.or]: matches });
    }
    const page = filters.page ?? 1;
    const { rows, count } = await this.tickets.findAndCountAll({
      attributes: CARD_ATTRIBUTES,
      where: { [Op.and]: conditions },
      include: [
        { association: 'reporter', attributes: REPORTER_ATTRIBUTES },
        { association: 'assignee', attributes: REPORTER_ATTRIBUTES },
      ],
      order: this.orderOf(filters.sort ?? 'newest'),
      limit: LIST_PAGE_SIZE,
      offset: (page - 1) * LIST_PAGE_SIZE,
    });
    return { tickets: rows, total: count, page, pageCount: Math.max(1, Math.ceil(count / LIST_PAGE_SIZE)) };
  }

  /** Case-insensitive "contains", with no wildcard characters to escape (strpos / instr). */
  private contains(column: 'title' | 'description', text: string) {
    const position = this.sequelize.getDialect() === 'postgres' ? 'strpos' : 'instr';
    return where(fn(position, fn('lower', col(`Ticket.${column}`)), text.toLowerCase()), Op.gt, 0);
  }

  private orderOf(sort: TicketSort) {
    if (sort === 'oldest') return [['number', 'ASC']] as [string, string][];
    if (sort === 'priority') {
      const rank = literal(PRIORITY_RANK);
      return [
        [rank, 'ASC'],
        ['number', 'DESC'],
      ] as never;
    }
    return [['number', 'DESC']] as [string, string][];
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
