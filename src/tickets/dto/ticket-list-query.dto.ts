import { Transform } from 'class-transformer';
import { toInteger } from './to-integer';
import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { TICKET_PRIORITIES, TICKET_STATUSES, TicketPriority, TicketStatus } from '../ticket.model';

export const TICKET_SORTS = ['newest', 'oldest', 'priority'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];

const blankToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** `?assignee=`: me, none (unassigned), or a person's id. */
export const ASSIGNEE_FILTER = /^(me|none|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const ASSIGNEE_FILTER_MESSAGE = 'Unknown assignee filter: choose me, none or a person of the project.';

/** The query string of the board page: which view, whose tickets, and the list view's filters, sort and page. */
export class TicketListQueryDto {
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString({ message: ASSIGNEE_FILTER_MESSAGE })
  @Matches(ASSIGNEE_FILTER, { message: ASSIGNEE_FILTER_MESSAGE })
  assignee?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(['board', 'list'], { message: 'Unknown view: choose board or list.' })
  view?: 'board' | 'list';

  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(TICKET_STATUSES, { message: 'Unknown status filter.' })
  status?: TicketStatus;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(TICKET_PRIORITIES, { message: 'Unknown priority filter.' })
  priority?: TicketPriority;

  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value))
  @IsOptional()
  @IsString({ message: 'Search for one piece of text.' })
  @MaxLength(200, { message: 'Keep the search to 200 characters or fewer.' })
  q?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(TICKET_SORTS, { message: 'Unknown sort order: choose newest, oldest or priority.' })
  sort?: TicketSort;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'The page must be a whole number.' })
  @Min(1, { message: 'The page must be a whole number.' })
  page?: number;
}

export class ColumnQueryDto {
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString({ message: ASSIGNEE_FILTER_MESSAGE })
  @Matches(ASSIGNEE_FILTER, { message: ASSIGNEE_FILTER_MESSAGE })
  assignee?: string;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'Unknown position in the column.' })
  @Min(1, { message: 'Unknown position in the column.' })
  before?: number;
}
