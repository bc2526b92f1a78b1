import { BelongsTo, Column, DataType, Default, ForeignKey, Model, PrimaryKey, Table } from 'sequelize-typescript';
import { User } from '../accounts/user.model';
import { Project } from '../projects/project.model';
import { NEW_TICKET_PRIORITY, NEW_TICKET_STATUS, TicketPriority, TicketStatus } from '../common/board-contract';

export { TICKET_PRIORITIES, TICKET_STATUSES } from '../common/board-contract';
export type { TicketPriority, TicketStatus } from '../common/board-contract';

@Table({
  tableName: 'tickets',
  underscored: true,
  version: true,
  indexes: [
    { name: 'tickets_project_number', unique: true, fields: ['project_id', 'number'] },
    { name: 'tickets_project_status_created', fields: ['project_id', 'status', 'created_at'] },
    { name: 'tickets_project_status_number', fields: ['project_id', 'status', 'number'] },
    { name: 'tickets_project_assignee_status_number', fields: ['project_id', 'assignee_id', 'status', 'number'] },
    { name: 'tickets_project_priority_number', fields: ['project_id', 'priority', 'number'] },
    {
      name: 'tickets_project_status_priority_number',
      fields: ['project_id', 'status', 'priority', 'number'],
    },
    { name: 'tickets_assignee_updated', fields: ['assignee_id', 'updated_at'] },
  ],
})
export class Ticket extends Model {
  @PrimaryKey
  @Default(DataType.UUIDV4)
  @Column(DataType.UUID)
  declare id: string;

  @ForeignKey(() => Project)
  @Column({ type: DataType.UUID, allowNull: false })
  declare projectId: string;

  @BelongsTo(() => Project, { onDelete: 'CASCADE' })
  declare project?: Project;

  /** Per-project number (#1, #2, ...), taken from projects.ticket_seq. */
  @Column({ type: DataType.INTEGER, allowNull: false })
  declare number: number;

  @ForeignKey(() => User)
  @Column({ type: DataType.UUID, allowNull: false })
  declare reporterId: string;

  @BelongsTo(() => User, 'reporterId')
  declare reporter?: User;

  /** Who works on it: one of the people with access to the project (ProjectsService.peopleWithAccess), or nobody. */
  @ForeignKey(() => User)
  @Column({ type: DataType.UUID, allowNull: true })
  declare assigneeId: string | null;

  @BelongsTo(() => User, 'assigneeId')
  declare assignee?: User | null;

  @Column({ type: DataType.STRING(200), allowNull: false })
  declare title: string;

  @Column({ type: DataType.TEXT, allowNull: false, defaultValue: '' })
  declare description: string;

  @Column({ type: DataType.STRING(16), allowNull: false, defaultValue: NEW_TICKET_STATUS })
  declare status: TicketStatus;

  @Column({ type: DataType.STRING(16), allowNull: false, defaultValue: NEW_TICKET_PRIORITY })
  declare priority: TicketPriority;

  /** Kept by TicketsService.countComment() with the comment's own write; not a change of the ticket (no version bump). */
  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  declare commentCount: number;

  /** Optimistic-locking counter (Sequelize `version: true`). */
  declare version: number;
  declare createdAt: Date;
  declare updatedAt: Date;
}
