import { BadRequestException, Controller, Get, NotFoundException, Param, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { renderWithFragment } from '../common/views/render-with-fragment';
import { validateForm } from '../common/forms/validate-form';
import { CurrentProject } from '../projects/current-project.decorator';
import { ProjectAccess } from '../projects/project-access.decorator';
import type { Project } from '../projects/project.model';
import type { User } from '../accounts/user.model';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { assigneeFilterOptions, boardUrl, listUrl, pager, sortOptions } from './board-links';
import { projectPageLocals } from './board-page';
import { ColumnQueryDto, TicketListQueryDto } from './dto/ticket-list-query.dto';
import { TICKET_STATUSES, TicketStatus } from './ticket.model';
import { BoardFragments } from './board-fragments';
import { boardColumnView, personView, priorityOptions, projectView, statusOptions, ticketSummary } from './ticket-view';
import { AssigneeFilter, TicketsService } from './tickets.service';

/** `?assignee=`: me, none or an id, as the tickets service filters (undefined: everyone). */
function assigneeOf(filter: string | undefined, user: User): AssigneeFilter {
  if (filter === undefined) return undefined;
  if (filter === 'me') return user.id;
  if (filter === 'none') return null;
  return filter.toLowerCase();
}

/** "Page 3 of 40", "Page 3" (an uncounted list), "Last page". */
function pageLabel(page: number | null, pageCount: number | null): string {
  if (page === null) return 'Last page';
  const count = pageCount === null ? '' : ` of ${pageCount.toLocaleString('en-US')}`;
  return `Page ${Math.min(page, pageCount ?? page).toLocaleString('en-US')}${count}`;
}

/** The project page: the tickets as a board (four columns) or as a filtered list. */
@Controller('projects/:projectId')
@ProjectAccess('member')
export class BoardController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly boardFragments: BoardFragments,
  ) {}

  @Get()
  async show(
    @CurrentProject() project: Project,
    @CurrentUser() user: User,
    @Query() query: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const form = await validateForm(TicketListQueryDto, query);
    if (!form.ok) throw new BadRequestException(Object.values(form.errors).join(' '));
    const state = { ...form.value, assignee: form.value.assignee?.toLowerCase() };
    const assigneeId = assigneeOf(state.assignee, user);
    const common = projectPageLocals(project, state.assignee);
    if (state.view !== 'list') {
      // The board's menu names only the person it is filtered to (the others are a modal away):
      // the unfiltered board costs no statement for it.
      const named = state.assignee !== undefined && !['me', 'none'].includes(state.assignee);
      const shown = named && assigneeId ? await this.tickets.assignableIn(project, assigneeId) : [];
      const assignees = assigneeFilterOptions(shown, state.assignee);
      const columns =
        assigneeId === undefined
          ? await this.boardFragments.renderedColumns(project)
          : await this.boardFragments.filteredColumns(project, assigneeId, state.assignee ?? '');
      return renderWithFragment(res, 'tickets/board', { ...common, isBoard: true, assignees }, columns);
    }
    const page = await this.tickets.list(project, { ...state, assigneeId });
    // A page past the end (an old bookmark, a list that shrank) goes to the last page instead.
    if (page.beyondEnd) {
      const last = { ...state, page: page.pageCount ?? ('last' as const), after: undefined, before: undefined };
      return res.redirect(303, listUrl(project.id, last));
    }
    const searching = Boolean(state.q);
    res.render('tickets/board', {
      ...common,
      assignees: assigneeFilterOptions(await this.tickets.assignableIn(project), state.assignee),
      isList: true,
      list: {
        tickets: page.tickets.map((ticket) => ticketSummary(project, ticket)),
        total: page.total,
        totalLabel: `${page.total.toLocaleString('en-US')}${page.capped ? '+' : ''}`,
        pageLabel: pageLabel(page.page, page.pageCount),
        q: state.q ?? '',
        filtered: Boolean(state.assignee || state.status || state.priority || state.q),
        clearUrl: listUrl(project.id, {}),
        statuses: statusOptions(state.status),
        priorities: priorityOptions(state.priority),
        sorts: sortOptions(state.sort, searching),
        pager: pager(project.id, state, page),
      },
    });
  }

  /**
   * Whose board to show: everyone, me, unassigned, or one of the people with access, each a link
   * to the filtered board (a modal from the board's assignee menu; also a plain page).
   */
  @Get('assignees')
  @Render('tickets/assignee-filter')
  async assignees(@CurrentProject() project: Project, @CurrentUser() user: User) {
    const people = await this.tickets.assignableIn(project);
    return {
      title: `Whose tickets · ${project.name}`,
      project: projectView(project),
      choices: [
        { label: 'Everyone', url: boardUrl(project.id), person: null },
        { label: 'Assigned to me', url: boardUrl(project.id, 'me'), person: null },
        { label: 'Unassigned', url: boardUrl(project.id, 'none'), person: null },
        ...people
          .filter((person) => person.id !== user.id)
          .map((person) => ({
            label: person.displayName,
            url: boardUrl(project.id, person.id),
            person: personView(person),
          })),
      ],
    };
  }

  /** The next tickets of one column ("Load more"), appended in place by Unpoly; also a plain page. */
  @Get('columns/:status')
  @Render('tickets/column-more')
  async column(
    @CurrentProject() project: Project,
    @CurrentUser() user: User,
    @Param('status') status: string,
    @Query() query: unknown,
  ) {
    if (!TICKET_STATUSES.includes(status as TicketStatus)) throw new NotFoundException();
    const form = await validateForm(ColumnQueryDto, query);
    if (!form.ok) throw new BadRequestException(Object.values(form.errors).join(' '));
    const assignee = form.value.assignee?.toLowerCase();
    const page = await this.tickets.columnPage(
      project,
      status as TicketStatus,
      form.value.before,
      assigneeOf(assignee, user),
    );
    return {
      title: project.name,
      project: projectView(project),
      boardUrl: boardUrl(project.id, assignee),
      column: boardColumnView(project, { ...page, total: 0 }, new Date(), assignee),
    };
  }
}
