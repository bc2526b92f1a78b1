import {
  BelongsTo,
  Column,
  DataType,
  Default,
  ForeignKey,
  Model,
  PrimaryKey,
  Table,
  Unique,
} from 'sequelize-typescript';
import { User } from './user.model';

/**
 * A password reset link. Mailed to its owner on request (`handedOut` false: the mail carries the
 * link), or created by a manager to hand over themselves (`handedOut` true: the mail only tells
 * the owner that a link was issued, by whom and when). `sentAt` / `sendError` record the mail.
 */
@Table({ tableName: 'password_resets', underscored: true })
export class PasswordReset extends Model {
  @PrimaryKey
  @Default(DataType.UUIDV4)
  @Column(DataType.UUID)
  declare id: string;

  /** SHA-256 (hex) of the raw token; the raw token only ever leaves in the email or to the manager. */
  @Unique
  @Column({ type: DataType.STRING(64), allowNull: false })
  declare tokenHash: string;

  @ForeignKey(() => User)
  @Column({ type: DataType.UUID, allowNull: false })
  declare userId: string;

  @BelongsTo(() => User, { foreignKey: 'userId', onDelete: 'CASCADE' })
  declare user?: User;

  /** The manager who created the link; null when its owner asked for it (or the console made it). */
  @ForeignKey(() => User)
  @Column({ type: DataType.UUID, allowNull: true })
  declare issuedBy: string | null;

  @BelongsTo(() => User, { foreignKey: 'issuedBy', onDelete: 'SET NULL' })
  declare issuer?: User | null;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: false })
  declare handedOut: boolean;

  @Column({ type: DataType.DATE, allowNull: false })
  declare expiresAt: Date;

  @Column({ type: DataType.DATE, allowNull: true })
  declare usedAt: Date | null;

  /** Set when a newer link replaced this one: only one link per person works at a time. */
  @Column({ type: DataType.DATE, allowNull: true })
  declare revokedAt: Date | null;

  /** When the current token was issued: the pending-mail sweep only takes rows older than a minute. */
  @Column({ type: DataType.DATE, allowNull: false })
  declare tokenIssuedAt: Date;

  @Column({ type: DataType.DATE, allowNull: true })
  declare sentAt: Date | null;

  @Column({ type: DataType.TEXT, allowNull: true })
  declare sendError: string | null;

  declare createdAt: Date;
  declare updatedAt: Date;
}
