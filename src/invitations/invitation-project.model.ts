import { Column, CreatedAt, DataType, ForeignKey, Model, PrimaryKey, Table } from 'sequelize-typescript';
import { Project } from '../projects/project.model';
import { Invitation } from './invitation.model';

/** A project an invitation brings the person into; one invitation may carry several. */
@Table({ tableName: 'invitation_projects', underscored: true, updatedAt: false })
export class InvitationProject extends Model {
  @PrimaryKey
  @ForeignKey(() => Invitation)
  @Column({ type: DataType.UUID, allowNull: false })
  declare invitationId: string;

  @PrimaryKey
  @ForeignKey(() => Project)
  @Column({ type: DataType.UUID, allowNull: false })
  declare projectId: string;

  @CreatedAt
  declare createdAt: Date;
}
