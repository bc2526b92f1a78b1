import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export const PROJECT_NAME_MAX = 200;
export const PROJECT_DESCRIPTION_MAX = 5000;

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/**
 * The create and edit form of a project. class-validator reports the decorator nearest the
 * property first, so "Enter a name" wins when the name is missing altogether.
 */
export class ProjectForm {
  @Transform(trimmed)
  @MaxLength(PROJECT_NAME_MAX, { message: `Keep the name to ${PROJECT_NAME_MAX} characters.` })
  @IsString({ message: 'Enter a name for the project.' })
  @IsNotEmpty({ message: 'Enter a name for the project.' })
  name!: string;

  @Transform(trimmed)
  @IsOptional()
  @MaxLength(PROJECT_DESCRIPTION_MAX, { message: `Keep the description to ${PROJECT_DESCRIPTION_MAX} characters.` })
  @IsString({ message: 'Enter the description as text.' })
  description: string = '';
}
