import { Column, DataType, Default, Model, PrimaryKey, Table, Unique } from 'sequelize-typescript';
import type { Role } from './roles';

export { ROLES } from './roles';
export type { Role } from './roles';

@Table({ tableName: 'users', underscored: true })
export class User extends Model {
  @PrimaryKey
  @Default(DataType.UUIDV4)
  @Column(DataType.UUID)
  declare id: string;

  /** Always stored lower-cased (see AccountsService.normalizeEmail). */
  @Unique
  @Column({ type: DataType.STRING(254), allowNull: false })
  declare email: string;

  @Column({ type: DataType.STRING(100), allowNull: false, defaultValue: '' })
  declare name: string;

  @Column({ type: DataType.STRING(255), allowNull: false })
  declare passwordHash: string;

  @Column({ type: DataType.STRING(16), allowNull: false, defaultValue: 'MEMBER' })
  declare role: Role;

  @Column({ type: DataType.STRING(255), allowNull: true })
  declare avatar: string | null;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: true })
  declare isActive: boolean;

  @Column({ type: DataType.DATE, allowNull: true })
  declare lastLoginAt: Date | null;

  /**
   * Raised whenever all of the user's sessions must end (password change, deactivation). A
   * session carries the generation it signed in under and is refused once it is older.
   */
  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  declare sessionGeneration: number;

  declare createdAt: Date;
  declare updatedAt: Date;

  get isManager(): boolean {
    return this.role === 'MANAGER';
  }

  /** What a name shows as when the person has not set one. */
  get displayName(): string {
    return this.name || this.email;
  }
}
