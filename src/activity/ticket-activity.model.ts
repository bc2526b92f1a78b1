import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { User } from '../accounts/user.model';
import type { ActivityKind, TrackedField } from './activity-kinds';

/** One entry of a ticket's history (migration 0011). Written once, never changed. */
@Table({ tableName: 'ticket_activity', underscored: true, updatedAt: false })
export class TicketActivity extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  declare id: number;

  @Column({ type: DataType.UUID, allowNull: false })
  declare ticketId: string;

  @ForeignKey(() => User)
  @Column({ type: DataType.UUID, allowNull: true })
  declare actorId: string | null;

  @BelongsTo(() => User, 'actorId')
  declare actor?: User | null;

  @Column({ type: DataType.STRING(24), allowNull: false })
  declare kind: ActivityKind;

  @Column({ type: DataType.STRING(32), allowNull: true })
  declare field: TrackedField | null;

  @Column({ type: DataType.TEXT, allowNull: true })
  declare fromValue: string | null;

  @Column({ type: DataType.TEXT, allowNull: true })
  declare toValue: string | null;

  declare createdAt: Date;
}
