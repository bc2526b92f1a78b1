import { BelongsTo, Column, DataType, Default, ForeignKey, Model, PrimaryKey, Table } from 'sequelize-typescript';
import { User } from '../accounts/user.model';

/** A comment on a ticket (migration 0010); deleted with its ticket. */
@Table({ tableName: 'comments', underscored: true })
export class Comment extends Model {
  @PrimaryKey
  @Default(DataType.UUIDV4)
  @Column(DataType.UUID)
  declare id: string;

  @Column({ type: DataType.UUID, allowNull: false })
  declare ticketId: string;

  @ForeignKey(() => User)
  @Column({ type: DataType.UUID, allowNull: true })
  declare authorId: string | null;

  @BelongsTo(() => User, 'authorId')
  declare author?: User | null;

  /** Markdown, shown through the same renderer as ticket descriptions. */
  @Column({ type: DataType.TEXT, allowNull: false })
  declare body: string;

  /** When the author last changed the text; null if never. */
  @Column({ type: DataType.DATE, allowNull: true })
  declare editedAt: Date | null;

  declare createdAt: Date;
  declare updatedAt: Date;
}
