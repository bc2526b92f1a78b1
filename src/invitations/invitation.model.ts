import {
  BelongsTo,
  BelongsToMany,
  Column,
  DataType,
  Default,
  ForeignKey,
  Index,
  Model,
  PrimaryKey,
  Table,
  Unique,
} from 'sequelize-typescript';
import { Role, User } from '../accounts/user.model';
import { Project } from '../projects/project.model';
import { InvitationProject } from './invitation-project.model';

@Table({ tableName: 'invitations', underscored: true })
export class Invitation extends Model {
  @PrimaryKey
  @Default(DataType.UUIDV4)
  @Column(DataType.UUID)
  declare id: string;

  /** SHA-256 (hex) of the raw token; the raw token only ever leaves in the email and link. */
  @Unique
  @Column({ type: DataType.STRING(64), allowNull: false })
  declare tokenHash: string;

  @Index
  @Column({ type: DataType.STRING(254), allowNull: false })
  declare email: string;

  /** Null for the bootstrap invitation created at first start. */
  @ForeignKey(() => User)
  @Column({ type: DataType.UUID, allowNull: true })
  declare senderId: string | null;

  @BelongsTo(() => User, 'senderId')
  declare sender?: User;

  @ForeignKey(() => Project)
  @Column({ type: DataType.UUID, allowNull: true })
  declare projectId: string | null;

  @BelongsTo(() => Project, { foreignKey: 'projectId', onDelete: 'SET NULL' })
  declare project?: Project | null;

  /** Every project joining brings the person into (project_id above is the first of them). */
  @BelongsToMany(() => Project, () => InvitationProject)
  declare projects?: Project[];

  @Column({ type: DataType.STRING(16), allowNull: false, defaultValue: 'MEMBER' })
  declare role: Role;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: false })
  declare isUsed: boolean;

  @Column({ type: DataType.DATE, allowNull: true })
  declare usedAt: Date | null;

  @Index
  @Column({ type: DataType.DATE, allowNull: false })
  declare expiresAt: Date;

  @Column({ type: DataType.DATE, allowNull: true })
  declare revokedAt: Date | null;

  @Column({ type: DataType.DATE, allowNull: true })
  declare sentAt: Date | null;

  @Column({ type: DataType.TEXT, allowNull: true })
  declare sendError: string | null;

  /** When the current token was issued (invite, resend, copy link, sweep): resend cooldown and sweep age. */
  @Column({ type: DataType.DATE, allowNull: true })
  declare tokenIssuedAt: Date | null;

  declare createdAt: Date;
  declare updatedAt: Date;
}
