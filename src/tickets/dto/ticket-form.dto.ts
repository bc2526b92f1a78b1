import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { toInteger } from './to-integer';
import {
  NEW_TICKET_PRIORITY,
  NEW_TICKET_STATUS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TicketPriority,
  TicketStatus,
} from '../../common/board-contract';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 50_000;

/** The assignee select: its blank option ("Unassigned") means nobody. */
const blankToNull = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? null : value;
const hasAssignee = (_dto: object, value: unknown) => value !== null && value !== undefined;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const normalizeNewlines = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.replace(/\r\n/g, '\n') : value;

/** For hidden fields a person cannot have typed in: the form itself is broken or old. */
const FORM_OUTDATED = 'This form is out of date. Reload the ticket and try again.';

/** Fields the edit form shows, with their errors beside them; errors on any other field are shown above the form. */
export const VISIBLE_TICKET_FIELDS = ['title', 'description', 'priority', 'status', 'assigneeId'];

const VERSION_MISSING = 'The form is missing the ticket version. Reload the ticket and try again.';

const MESSAGES = {
  titleEmpty: 'Enter a title.',
  titleLong: `Keep the title to ${TITLE_MAX} characters or fewer.`,
  descriptionText: 'Write the description as text.',
  descriptionLong: `Keep the description to ${DESCRIPTION_MAX.toLocaleString('en')} characters or fewer.`,
  priority: 'Choose a priority: Low, Medium, High or Critical.',
  status: 'Choose a status: Open, In progress, Review or Done.',
  assignee: 'Choose an assignee from the list, or Unassigned.',
};

/** The "Add ticket" form. */
export class CreateTicketDto {
  @Transform(trim)
  @IsString({ message: MESSAGES.titleEmpty })
  @IsNotEmpty({ message: MESSAGES.titleEmpty })
  @MaxLength(TITLE_MAX, { message: MESSAGES.titleLong })
  title: string;

  @Transform(normalizeNewlines)
  @IsOptional()
  @IsString({ message: MESSAGES.descriptionText })
  @MaxLength(DESCRIPTION_MAX, { message: MESSAGES.descriptionLong })
  description: string = '';

  @IsIn(TICKET_PRIORITIES, { message: MESSAGES.priority })
  priority: TicketPriority = NEW_TICKET_PRIORITY;

  @IsIn(TICKET_STATUSES, { message: MESSAGES.status })
  status: TicketStatus = NEW_TICKET_STATUS;

  /** null: unassigned. Whether the person may be assigned is the service's rule. */
  @Transform(blankToNull)
  @ValidateIf(hasAssignee)
  @IsUUID('all', { message: MESSAGES.assignee })
  assigneeId?: string | null = null;
}

/**
 * A change to a ticket: the full edit form, the status select of the details modal, or a card
 * dropped on another column. Only the fields sent are changed. `version` is the version the
 * sender saw; `base*` are the values the sender saw, so that a stale save can tell which fields
 * it actually touches (see TicketsService.update).
 */
export class UpdateTicketDto {
  @IsOptional()
  @Transform(trim)
  @IsString({ message: MESSAGES.titleEmpty })
  @IsNotEmpty({ message: MESSAGES.titleEmpty })
  @MaxLength(TITLE_MAX, { message: MESSAGES.titleLong })
  title?: string;

  @IsOptional()
  @Transform(normalizeNewlines)
  @IsString({ message: MESSAGES.descriptionText })
  @MaxLength(DESCRIPTION_MAX, { message: MESSAGES.descriptionLong })
  description?: string;

  @IsOptional()
  @IsIn(TICKET_PRIORITIES, { message: MESSAGES.priority })
  priority?: TicketPriority;

  @IsOptional()
  @IsIn(TICKET_STATUSES, { message: MESSAGES.status })
  status?: TicketStatus;

  /** null: unassign. */
  @IsOptional()
  @Transform(blankToNull)
  @ValidateIf(hasAssignee)
  @IsUUID('all', { message: MESSAGES.assignee })
  assigneeId?: string | null;

  @Transform(toInteger)
  @IsInt({ message: VERSION_MISSING })
  @Min(0, { message: VERSION_MISSING })
  version: number;

  @IsOptional() @Transform(trim) @IsString({ message: FORM_OUTDATED }) baseTitle?: string;
  @IsOptional() @Transform(normalizeNewlines) @IsString({ message: FORM_OUTDATED }) baseDescription?: string;
  @IsOptional() @IsString({ message: FORM_OUTDATED }) basePriority?: string;
  @IsOptional() @IsString({ message: FORM_OUTDATED }) baseStatus?: string;
  @IsOptional()
  @Transform(blankToNull)
  @ValidateIf(hasAssignee)
  @IsUUID('all', { message: FORM_OUTDATED })
  baseAssigneeId?: string | null;

  /** Where the change was made, which decides the answer: the details modal, the board, or the edit form. */
  @IsOptional()
  @IsIn(['details', 'board', 'edit'], { message: FORM_OUTDATED })
  source?: 'details' | 'board' | 'edit';
}

/** Markdown to preview (a description or a comment), and the id of the element that shows it. */
export class PreviewDto {
  @IsOptional()
  @IsString({ message: MESSAGES.descriptionText })
  @MaxLength(DESCRIPTION_MAX, { message: MESSAGES.descriptionLong })
  description: string = '';

  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,80}$/, { message: FORM_OUTDATED })
  previewId?: string;
}
