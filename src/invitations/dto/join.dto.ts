import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsPlainEmail } from '../../common/forms/email-address';
import { MIN_PASSWORD_LENGTH } from '../../accounts/passwords';
import { Match } from '../../common/forms/match.decorator';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class JoinDto {
  /** Only read for an invitation without an email (the bootstrap one without ADMIN_EMAIL). */
  @Transform(trimmed)
  @IsOptional()
  @MaxLength(254, { message: 'That email address is too long.' })
  @IsPlainEmail()
  email?: string;

  @Transform(trimmed)
  @IsString({ message: 'Enter your name.' })
  @IsNotEmpty({ message: 'Enter your name.' })
  @MaxLength(100, { message: 'Keep your name under 100 characters.' })
  name!: string;

  @IsString({ message: `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.` })
  @MinLength(MIN_PASSWORD_LENGTH, { message: `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.` })
  @MaxLength(200, { message: 'Keep the password under 200 characters.' })
  password!: string;

  @IsString({ message: 'Type the password again.' })
  @Match('password', { message: 'The two passwords do not match.' })
  confirmPassword!: string;
}
