import { Column, DataType, Index, Model, PrimaryKey, Table } from 'sequelize-typescript';

/** Rows of the express-session store (connect-session-sequelize), with the owner for "end all sessions". */
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

  declare createdAt: Date;
  declare updatedAt: Date;
}
