import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { Match } from '../../common/forms/match.decorator';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../passwords';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** "Forgot your password?": the email to send a link to. */
export class ForgotPasswordDto {
  @Transform(trimmed)
  @IsString({ message: 'Enter your email address.' })
  @MaxLength(254, { message: 'That email address is too long.' })
  @IsEmail({}, { message: 'Enter a valid email address, like name@example.com.' })
  email!: string;
}

/** A new password typed twice: the reset form, and the join form's (which adds a name). */
export class NewPasswordDto {
  @IsString({ message: `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.` })
  @MinLength(MIN_PASSWORD_LENGTH, { message: `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.` })
  @MaxLength(MAX_PASSWORD_LENGTH, { message: `Keep the password under ${MAX_PASSWORD_LENGTH} characters.` })
  password!: string;

  @IsString({ message: 'Type the password again.' })
  @Match('password', { message: 'The two passwords do not match.' })
  confirmPassword!: string;
}

export class ResetPasswordDto extends NewPasswordDto {}
