import { BelongsTo, BelongsToMany, Column, DataType, Default, ForeignKey, HasMany, Model, PrimaryKey, Table } from 'sequelize-typescript';
import { User } from '../accounts/user.model';
import { ProjectMember } from './project-member.model';

@Table({ tableName: 'projects', underscored: true })
export class Project extends Model {
  @PrimaryKey @Default(DataType.UUIDV4) @Column(DataType.UUID)
  declare id: string;

  @Column({ type: DataType.STRING(200), allowNull: false })
  declare name: string;

  @Column({ type: DataType.TEXT, allowNull: false, defaultValue: '' })
  declare description: string;

  @ForeignKey(() => User) @Column({ type: DataType.UUID, allowNull: true, field: 'created_by' })
  declare createdBy: string | null;

  @BelongsTo(() => User, 'createdBy')
  declare creator?: User;

  /** Last ticket number handed out in this project; tickets take the next one atomically. */
  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  declare ticketSeq: number;

  @BelongsToMany(() => User, () => ProjectMember)
  declare members?: User[];

  @HasMany(() => ProjectMember)
  declare memberships?: ProjectMember[];

  declare createdAt: Date;
  declare updatedAt: Date;
}
