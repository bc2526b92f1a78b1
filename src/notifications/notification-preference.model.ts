import { Column, DataType, Model, PrimaryKey, Table } from 'sequelize-typescript';

/** The kinds of notification a person wants by email (migration 0014), comma-separated; '' for none. */
@Table({ tableName: 'notification_preferences', underscored: true, createdAt: false })
export class NotificationPreference extends Model {
  @PrimaryKey
  @Column(DataType.UUID)
  declare userId: string;

  @Column({ type: DataType.STRING(100), allowNull: false })
  declare mailKinds: string;

  declare updatedAt: Date;
}
