import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsPlainEmail } from '../../common/forms/email-address';
import { NewPasswordDto } from '../../accounts/dto/password-reset.dto';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class JoinDto extends NewPasswordDto {
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
}
