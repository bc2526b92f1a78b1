import { BelongsTo, Column, DataType, ForeignKey, Model, PrimaryKey, Table } from 'sequelize-typescript';
import { User } from '../accounts/user.model';
import { Project } from './project.model';

@Table({ tableName: 'project_members', underscored: true, updatedAt: false })
export class ProjectMember extends Model {
  @PrimaryKey
  @ForeignKey(() => Project)
  @Column(DataType.UUID)
  declare projectId: string;

  @PrimaryKey
  @ForeignKey(() => User)
  @Column(DataType.UUID)
  declare userId: string;

  @BelongsTo(() => Project, { onDelete: 'CASCADE' })
  declare project?: Project;

  @BelongsTo(() => User, { onDelete: 'CASCADE' })
  declare user?: User;

  declare createdAt: Date;
}
