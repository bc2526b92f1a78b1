import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { IsPlainEmail } from '../../common/forms/email-address';
import { ROLES, type Role } from '../../accounts/roles';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const emptyAsUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export class InviteDto {
  @Transform(trimmed)
  @MaxLength(254, { message: 'That email address is too long.' })
  @IsPlainEmail()
  email!: string;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @IsUUID('4', { message: 'Choose a project from the list.' })
  projectId?: string;

  @Transform(({ value }: { value: unknown }) => (value === undefined || value === '' ? 'MEMBER' : value))
  @IsIn(ROLES, { message: 'Choose Member or Manager.' })
  role: Role = 'MEMBER';
}
