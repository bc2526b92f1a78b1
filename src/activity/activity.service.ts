import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { Op, Transaction, WhereOptions } from 'sequelize';
import { AccountsService } from '../accounts/accounts.service';
import { NewestFirstCursor, olderThan } from '../common/keyset';
import { ActivityEntry, ActivityKind, PeopleNames, peopleIn } from './activity-kinds';
import { TicketActivity } from './ticket-activity.model';

/** Where a page of history ends (ids are a sequence). */
export type HistoryCursor = NewestFirstCursor<number>;

const ACTOR_ATTRIBUTES = ['id', 'email', 'name', 'avatar', 'isActive'];

/** The history of tickets (`ticket_activity`): recorded by whoever changes a ticket, in the change's transaction. */
@Injectable()
export class ActivityService {
  constructor(
    @InjectModel(TicketActivity) private readonly activity: typeof TicketActivity,
    private readonly accounts: AccountsService,
  ) {}

  /** The names `describeActivity` needs for these entries (assignees): no statement when none, else one. */
  async peopleNamedIn(entries: TicketActivity[]): Promise<PeopleNames> {
    const ids = peopleIn(entries);
    return ids.length ? this.accounts.displayNames(ids) : new Map();
  }

  /** Records any number of entries with one multi-row INSERT, in the caller's transaction. */
  async record(entries: ActivityEntry[], transaction: Transaction): Promise<void> {
    if (!entries.length) return;
    const createdAt = new Date();
    await this.activity.bulkCreate(
      entries.map((entry) => ({
        ticketId: entry.ticketId,
        actorId: entry.actorId,
        kind: entry.kind,
        field: entry.field ?? null,
        fromValue: entry.from ?? null,
        toValue: entry.to ?? null,
        createdAt,
      })),
      { transaction },
    );
  }

  /**
   * Up to `limit` of a ticket's newest entries before `before`, newest first, with their actors
   * (deactivated ones included): one statement.
   */
  newest(
    ticketId: string,
    options: { before?: HistoryCursor; limit: number; exceptKinds?: ActivityKind[] },
  ): Promise<TicketActivity[]> {
    const conditions: WhereOptions[] = [{ ticketId }];
    if (options.exceptKinds?.length) conditions.push({ kind: { [Op.notIn]: options.exceptKinds } });
    if (options.before) conditions.push(olderThan(options.before));
    return this.activity.findAll({
      where: { [Op.and]: conditions },
      include: [{ association: 'actor', attributes: ACTOR_ATTRIBUTES }],
      order: [
        ['createdAt', 'DESC'],
        ['id', 'DESC'],
      ],
      limit: options.limit,
    });
  }

  /** A ticket's whole history, oldest first (for the REPL and checks, not for pages). */
  all(ticketId: string): Promise<TicketActivity[]> {
    return this.activity.findAll({
      where: { ticketId },
      order: [
        ['createdAt', 'ASC'],
        ['id', 'ASC'],
      ],
    });
  }
}
