import { BadRequestException, Controller, Get, NotFoundException, Param, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { renderWithFragment } from '../common/views/render-with-fragment';
import { validateForm } from '../common/forms/validate-form';
import { CurrentProject } from '../projects/current-project.decorator';
import { ProjectAccess } from '../projects/project-access.decorator';
import type { Project } from '../projects/project.model';
import { listUrl, pager, sortOptions } from './board-links';
import { ColumnQueryDto, TicketListQueryDto } from './dto/ticket-list-query.dto';
import { TICKET_STATUSES, TicketStatus } from './ticket.model';
import { BoardFragments } from './board-fragments';
import { boardColumnView, priorityOptions, projectView, statusOptions, ticketSummary } from './ticket-view';
import { TicketsService } from './tickets.service';

/** The project page: the tickets as a board (four columns) or as a filtered list. */
@Controller('projects/:projectId')
@ProjectAccess('member')
export class BoardController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly boardFragments: BoardFragments,
  ) {}

  @Get()
  async show(@CurrentProject() project: Project, @Query() query: unknown, @Res() res: Response): Promise<void> {
    const form = await validateForm(TicketListQueryDto, query);
    if (!form.ok) throw new BadRequestException(Object.values(form.errors).join(' '));
    const state = form.value;
    const common = {
      title: project.name,
      project: projectView(project),
      newTicketUrl: `/projects/${project.id}/tickets/new`,
      boardUrl: `/projects/${project.id}`,
      listUrl: listUrl(project.id, {}),
    };
    if (state.view !== 'list') {
      return renderWithFragment(
        res,
        'tickets/board',
        { ...common, isBoard: true },
        await this.boardFragments.renderedColumns(project),
      );
    }
    const page = await this.tickets.list(project, state);
    res.render('tickets/board', {
      ...common,
      isList: true,
      list: {
        tickets: page.tickets.map((ticket) => ticketSummary(project, ticket)),
        total: page.total,
        page: page.page,
        pageCount: page.pageCount,
        q: state.q ?? '',
        filtered: Boolean(state.status || state.priority || state.q),
        statuses: statusOptions(state.status),
        priorities: priorityOptions(state.priority),
        sorts: sortOptions(state.sort),
        pager: pager(project.id, state, page.pageCount),
      },
    });
  }

  /** The next tickets of one column ("Load more"), appended in place by Unpoly; also a plain page. */
  @Get('columns/:status')
  @Render('tickets/column-more')
  async column(@CurrentProject() project: Project, @Param('status') status: string, @Query() query: unknown) {
    if (!TICKET_STATUSES.includes(status as TicketStatus)) throw new NotFoundException();
    const form = await validateForm(ColumnQueryDto, query);
    if (!form.ok) throw new BadRequestException(Object.values(form.errors).join(' '));
    const page = await this.tickets.columnPage(project, status as TicketStatus, form.value.before);
    return {
      title: project.name,
      project: projectView(project),
      boardUrl: `/projects/${project.id}`,
      column: boardColumnView(project, { ...page, total: 0 }),
    };
  }
}
