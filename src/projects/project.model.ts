import {
  BelongsTo,
  BelongsToMany,
  Column,
  DataType,
  Default,
  ForeignKey,
  HasMany,
  Model,
  PrimaryKey,
  Table,
} from 'sequelize-typescript';
import { User } from '../accounts/user.model';
import { STATUS_COUNTER_ATTRIBUTES, TICKET_STATUSES, TicketStatus } from '../common/board-contract';
import { ProjectMember } from './project-member.model';

/** The counter columns, for queries that list only some attributes. */
export const TICKET_COUNT_ATTRIBUTES = Object.values(STATUS_COUNTER_ATTRIBUTES);

/** Tickets per status, from the counters of a project read as a plain row (attribute names). */
export function ticketCountsOf(row: Record<string, unknown>): Record<TicketStatus, number> {
  return Object.fromEntries(
    TICKET_STATUSES.map((status) => [status, Number(row[STATUS_COUNTER_ATTRIBUTES[status]] ?? 0)]),
  ) as Record<TicketStatus, number>;
}

@Table({ tableName: 'projects', underscored: true, indexes: [{ name: 'projects_name_id', fields: ['name', 'id'] }] })
export class Project extends Model {
  @PrimaryKey
  @Default(DataType.UUIDV4)
  @Column(DataType.UUID)
  declare id: string;

  @Column({ type: DataType.STRING(200), allowNull: false })
  declare name: string;

  @Column({ type: DataType.TEXT, allowNull: false, defaultValue: '' })
  declare description: string;

  @ForeignKey(() => User)
  @Column({ type: DataType.UUID, allowNull: true, field: 'created_by' })
  declare createdBy: string | null;

  @BelongsTo(() => User, 'createdBy')
  declare creator?: User;

  /** Last ticket number handed out in this project; tickets take the next one atomically. */
  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  declare ticketSeq: number;

  /*
   * Tickets per status and the board version, kept by the database itself (triggers of
   * migration 0005, per common/board-contract.ts): the board and the dashboard read them instead
   * of counting rows. Never written by the application.
   */
  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  declare openTickets: number;

  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  declare inProgressTickets: number;

  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  declare reviewTickets: number;

  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  declare doneTickets: number;

  /** Goes up whenever anything a board card shows changes (migration 0005); keys rendered boards. */
  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  declare boardVersion: number;

  @BelongsToMany(() => User, () => ProjectMember)
  declare members?: User[];

  @HasMany(() => ProjectMember)
  declare memberships?: ProjectMember[];

  /** Tickets per status, from the counters. */
  ticketCounts(): Record<TicketStatus, number> {
    return ticketCountsOf(this.dataValues as Record<string, unknown>);
  }

  declare createdAt: Date;
  declare updatedAt: Date;
}
