import { Column, DataType, Index, Model, PrimaryKey, Table } from 'sequelize-typescript';

/** Rows of the express-session store (SessionStore), with the owner for "end all sessions" and the session list. */
@Table({ tableName: 'sessions', underscored: true, modelName: 'Session' })
export class Session extends Model {
  @PrimaryKey
  @Column(DataType.STRING(64))
  declare sid: string;

  @Index
  @Column({ type: DataType.UUID, allowNull: true })
  declare userId: string | null;

  @Index
  @Column({ type: DataType.DATE, allowNull: true })
  declare expires: Date | null;

  @Column({ type: DataType.TEXT, allowNull: true })
  declare data: string | null;

  /** The browser and address the session signed in from, shown in the profile's session list. */
  @Column({ type: DataType.STRING(512), allowNull: true })
  declare userAgent: string | null;

  @Column({ type: DataType.STRING(64), allowNull: true })
  declare ip: string | null;

  /** Written at most once a minute (SessionStore's touch throttle). */
  @Column({ type: DataType.DATE, allowNull: true })
  declare lastSeenAt: Date | null;

  declare createdAt: Date;
  declare updatedAt: Date;
}
