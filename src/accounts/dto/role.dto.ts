import { IsIn } from 'class-validator';
import { ROLES, type Role } from '../user.model';

export class RoleDto {
  @IsIn(ROLES, { message: 'Choose Manager or Member.' })
  role!: Role;
}
