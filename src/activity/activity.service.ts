import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { Op, Transaction, WhereOptions } from 'sequelize';
import { AccountsService } from '../accounts/accounts.service';
import { NewestFirstCursor, olderThan } from '../common/keyset';
import { positional, PositionalStatement, PreparedReads } from '../database/prepared-reads';
import { ACTIVITY_KINDS, ActivityEntry, ActivityKind, PeopleNames, peopleIn, TrackedField } from './activity-kinds';
import { TicketActivity } from './ticket-activity.model';

/** Where a page of history ends (ids are a sequence). */
export type HistoryCursor = NewestFirstCursor<number>;

/** An entry of the history as pages read it: a plain row with its actor (null once the account is gone). */
export interface HistoryRow {
  id: number;
  ticketId: string;
  kind: ActivityKind;
  field: TrackedField | null;
  fromValue: string | null;
  toValue: string | null;
  createdAt: Date;
  actor: { id: string; email: string; name: string; avatar: string | null; isActive: boolean } | null;
}

const ACTOR_ATTRIBUTES = ['id', 'email', 'name', 'avatar', 'isActive'];

export type RawHistoryRow = Omit<HistoryRow, 'createdAt' | 'actor' | 'id'> & {
  id: number | string;
  createdAt: Date | string;
  actor: { id: string | null; email: string; name: string; avatar: string | null; isActive: boolean | number };
};

/** The columns of newestHistorySql, by alias. */
export const HISTORY_COLUMNS = [
  'id',
  'ticketId',
  'kind',
  'field',
  'fromValue',
  'toValue',
  'createdAt',
  'actor.id',
  'actor.email',
  'actor.name',
  'actor.avatar',
  'actor.isActive',
];

/**
 * The first page of a ticket's history (no cursor) as SQL on `:ticketId` and `:limit`, but for
 * some kinds, numbered by `position` (a page may fold it into its own statement, see
 * PreparedReads.jsonRows). Rows are read by historyRow.
 */
export function newestHistorySql(exceptKinds: ActivityKind[]): string {
  const kinds = exceptKinds.filter((kind) => ACTIVITY_KINDS.includes(kind));
  const except = kinds.length ? `AND a.kind NOT IN (${kinds.map((kind) => `'${kind}'`).join(', ')})` : '';
  return `SELECT a.id, a.ticket_id AS "ticketId", a.kind, a.field, a.from_value AS "fromValue",
      a.to_value AS "toValue", a.created_at AS "createdAt", u.id AS "actor.id", u.email AS "actor.email",
      u.name AS "actor.name", u.avatar AS "actor.avatar", u.is_active AS "actor.isActive",
      ROW_NUMBER() OVER (ORDER BY a.created_at DESC, a.id DESC) AS position
    FROM ticket_activity a LEFT JOIN users u ON u.id = a.actor_id
    WHERE a.ticket_id = :ticketId ${except}
    ORDER BY a.created_at DESC, a.id DESC LIMIT :limit`;
}

/**
 * The name of a prepared statement built on newestHistorySql(exceptKinds): one per set of kinds,
 * as a named statement's text may not change (`activity-newest-commented`).
 */
export function historyStatementName(prefix: string, exceptKinds: ActivityKind[]): string {
  return `${prefix}${exceptKinds.map((kind) => `-${kind}`).join('')}`;
}

/** A row as PostgreSQL (dates, booleans) and SQLite (text, 0 and 1) give it, the same either way. */
export function historyRow(row: RawHistoryRow): HistoryRow {
  const { actor } = row;
  return {
    ...row,
    id: Number(row.id),
    createdAt: row.createdAt instanceof Date ? row.createdAt : new Date(row.createdAt),
    actor:
      actor.id === null
        ? null
        : { ...actor, id: actor.id, isActive: actor.isActive === true || Number(actor.isActive) === 1 },
  };
}

/** The history of tickets (`ticket_activity`): recorded by whoever changes a ticket, in the change's transaction. */
@Injectable()
export class ActivityService {
  constructor(
    @InjectModel(TicketActivity) private readonly activity: typeof TicketActivity,
    private readonly accounts: AccountsService,
    private readonly reads: PreparedReads,
  ) {}

  private readonly newestStatements = new Map<string, PositionalStatement>();

  /**
   * The names `describeActivity` needs for these entries (assignees): none needed or all among
   * `known` (people read already), no statement; else one.
   */
  async peopleNamedIn(
    entries: Pick<HistoryRow, 'field' | 'fromValue' | 'toValue'>[],
    known: { id: string; displayName: string }[] = [],
  ): Promise<PeopleNames> {
    const names = new Map(known.map((person) => [person.id, person.displayName]));
    const missing = peopleIn(entries).filter((id) => !names.has(id));
    if (missing.length) for (const [id, name] of await this.accounts.displayNames(missing)) names.set(id, name);
    return names;
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
   * (deactivated ones included), as plain rows: one statement. The first page (no `before`), read
   * on every view of a ticket, is a prepared statement.
   */
  async newest(
    ticketId: string,
    options: { before?: HistoryCursor; limit: number; exceptKinds?: ActivityKind[] },
  ): Promise<HistoryRow[]> {
    if (!options.before) {
      const kinds = options.exceptKinds ?? [];
      const name = historyStatementName('activity-newest', kinds);
      let statement = this.newestStatements.get(name);
      if (!statement) this.newestStatements.set(name, (statement = positional(name, newestHistorySql(kinds))));
      const rows = await this.reads.rows<RawHistoryRow>(statement, { ticketId, limit: options.limit });
      return rows.map(historyRow);
    }
    const conditions: WhereOptions[] = [{ ticketId }, olderThan(options.before)];
    if (options.exceptKinds?.length) conditions.push({ kind: { [Op.notIn]: options.exceptKinds } });
    const rows = (await this.activity.findAll({
      attributes: ['id', 'ticketId', 'kind', 'field', 'fromValue', 'toValue', 'createdAt'],
      where: { [Op.and]: conditions },
      include: [{ association: 'actor', attributes: ACTOR_ATTRIBUTES }],
      order: [
        ['createdAt', 'DESC'],
        ['id', 'DESC'],
      ],
      limit: options.limit,
      raw: true,
      nest: true,
    })) as unknown as RawHistoryRow[];
    return rows.map(historyRow);
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
