import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** The profile form: a name, and optionally a password change (all three fields, or none). */
export class ProfileDto {
  @Transform(trimmed)
  @IsString({ message: 'Enter your name.' })
  @IsNotEmpty({ message: 'Enter your name.' })
  @MaxLength(100, { message: 'Keep your name to 100 characters or fewer.' })
  name!: string;

  @IsOptional()
  @IsString()
  currentPassword?: string;

  @IsOptional()
  @IsString()
  newPassword?: string;

  @IsOptional()
  @IsString()
  confirmPassword?: string;

  get wantsPasswordChange(): boolean {
    return Boolean(this.currentPassword || this.newPassword || this.confirmPassword);
  }
}
