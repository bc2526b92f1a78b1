import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export const PROJECT_NAME_MAX = 200;
export const PROJECT_DESCRIPTION_MAX = 5000;

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** The create and edit form of a project. */
export class ProjectForm {
  @Transform(trimmed)
  @IsString({ message: 'Enter a name for the project.' })
  @IsNotEmpty({ message: 'Enter a name for the project.' })
  @MaxLength(PROJECT_NAME_MAX, { message: `Keep the name to ${PROJECT_NAME_MAX} characters.` })
  name!: string;

  @Transform(({ value }) => (value === undefined || value === null ? '' : trimmed({ value })))
  @IsString({ message: 'Enter the description as text.' })
  @MaxLength(PROJECT_DESCRIPTION_MAX, { message: `Keep the description to ${PROJECT_DESCRIPTION_MAX} characters.` })
  description!: string;
}
