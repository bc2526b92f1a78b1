import { Transform } from 'class-transformer';
import { toInteger } from './to-integer';
import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min, ValidateIf } from 'class-validator';
import { LIST_CURSOR } from '../ticket-list-order';
import { TICKET_PRIORITIES, TICKET_STATUSES, TicketPriority, TicketStatus } from '../ticket.model';

/** `relevance` (best match first) is the default of a search and means newest without one. */
export const TICKET_SORTS = ['newest', 'oldest', 'priority', 'relevance'] as const;
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
  @IsIn(TICKET_SORTS, { message: 'Unknown sort order: choose newest, oldest, priority or relevance.' })
  sort?: TicketSort;

  /** A page number, or `last`. */
  @Transform(toInteger)
  @IsOptional()
  @ValidateIf((query: TicketListQueryDto) => query.page !== 'last')
  @IsInt({ message: 'The page must be a whole number.' })
  @Min(1, { message: 'The page must be a whole number.' })
  page?: number | 'last';

  /** Keyset cursors (Next and Previous): the page after or before this ticket. */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString({ message: 'Unknown position in the list.' })
  @Matches(LIST_CURSOR, { message: 'Unknown position in the list.' })
  after?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @ValidateIf((query: TicketListQueryDto) => query.after === undefined)
  @IsString({ message: 'Unknown position in the list.' })
  @Matches(LIST_CURSOR, { message: 'Unknown position in the list.' })
  before?: string;
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
