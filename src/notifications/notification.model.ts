import { BelongsTo, Column, DataType, Default, ForeignKey, Model, PrimaryKey, Table } from 'sequelize-typescript';
import { User } from '../accounts/user.model';
import { Ticket } from '../tickets/ticket.model';
import type { NotificationKind } from './notification-kinds';

/** One thing one person is told about a ticket (migration 0012). */
@Table({ tableName: 'notifications', underscored: true, updatedAt: false })
export class Notification extends Model {
  @PrimaryKey
  @Default(DataType.UUIDV4)
  @Column(DataType.UUID)
  declare id: string;

  @ForeignKey(() => User)
  @Column({ type: DataType.UUID, allowNull: false })
  declare recipientId: string;

  @Column({ type: DataType.UUID, allowNull: false })
  declare projectId: string;

  @ForeignKey(() => Ticket)
  @Column({ type: DataType.UUID, allowNull: false })
  declare ticketId: string;

  @BelongsTo(() => Ticket, 'ticketId')
  declare ticket?: Ticket;

  @ForeignKey(() => User)
  @Column({ type: DataType.UUID, allowNull: true })
  declare actorId: string | null;

  @BelongsTo(() => User, 'actorId')
  declare actor?: User | null;

  @Column({ type: DataType.STRING(16), allowNull: false })
  declare kind: NotificationKind;

  /** The new status (`status`), the start of the comment (`commented`); null otherwise. */
  @Column({ type: DataType.TEXT, allowNull: true })
  declare detail: string | null;

  @Column({ type: DataType.DATE, allowNull: true })
  declare readAt: Date | null;

  /** A delivery's hold on this notification's mail (see NotificationMailJob). */
  @Column({ type: DataType.STRING(64), allowNull: true })
  declare mailClaim: string | null;

  @Column({ type: DataType.DATE, allowNull: true })
  declare mailClaimedAt: Date | null;

  /** When its mail went out, or was given up: the person lost access, or wants no mail of its kind (`mailOutcome`). */
  @Column({ type: DataType.DATE, allowNull: true })
  declare mailDoneAt: Date | null;

  @Column({ type: DataType.STRING(16), allowNull: true })
  declare mailOutcome: 'sent' | 'no-access' | 'muted' | null;

  @Column({ type: DataType.TEXT, allowNull: true })
  declare mailError: string | null;

  declare createdAt: Date;
}
