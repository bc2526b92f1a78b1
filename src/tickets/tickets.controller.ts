import { Body, Controller, Delete, Get, Param, Patch, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { User } from '../accounts/user.model';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormErrors, validateForm } from '../common/forms/validate-form';
import { Up } from '../common/unpoly/up.decorator';
import { Unpoly } from '../common/unpoly/unpoly';
import { flash } from '../common/views/flash';
import { CurrentProject } from '../projects/current-project.decorator';
import { ProjectAccess } from '../projects/project-access.decorator';
import type { Project } from '../projects/project.model';
import { CreateTicketDto, PreviewDto, UpdateTicketDto, VISIBLE_TICKET_FIELDS } from './dto/ticket-form.dto';
import { renderMarkdown } from './markdown';
import { Ticket } from './ticket.model';
import { priorityOptions, projectView, statusOptions, ticketDetails, ticketUrl } from './ticket-view';
import { EditableField, TicketsService } from './tickets.service';

export const TICKETS_CHANGED = 'tickets:changed';

type FormValues = Partial<Record<string, unknown>>;

const FIELD_LABELS: Record<EditableField, string> = {
  title: 'title',
  description: 'description',
  priority: 'priority',
  status: 'status',
};

/** Ticket create, details, edit, status change and delete: each a modal that is also a page. */
@Controller('projects/:projectId/tickets')
@ProjectAccess('member')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Get('new')
  @Render('tickets/new')
  newForm(@CurrentProject() project: Project) {
    return this.formLocals(project, { priority: 'MEDIUM', status: 'OPEN' }, {});
  }

  @Post()
  async create(
    @CurrentProject() project: Project,
    @CurrentUser() user: User,
    @Body() body: unknown,
    @Res() res: Response,
    @Up() up: Unpoly,
  ) {
    const form = await validateForm(CreateTicketDto, body);
    if (!form.ok) return res.status(422).render('tickets/new', this.formLocals(project, form.input, form.errors));
    await this.tickets.create(project, user, form.value);
    up.finish(`/projects/${project.id}`, TICKETS_CHANGED);
  }

  /** Renders posted Markdown exactly as the details will show it (the form's preview). */
  @Post('preview')
  async preview(@Body() body: unknown, @Res() res: Response) {
    const form = await validateForm(PreviewDto, body);
    const html = form.ok ? renderMarkdown(form.value.description) : '';
    res
      .status(form.ok ? 200 : 422)
      .render('tickets/preview', { layout: false, html, error: form.ok ? null : form.errors.description });
  }

  @Get(':ticketId')
  @Render('tickets/show')
  async show(@CurrentProject() project: Project, @CurrentUser() user: User, @Param('ticketId') ticketId: string) {
    return this.detailsLocals(project, await this.tickets.find(project, ticketId), user);
  }

  @Get(':ticketId/edit')
  @Render('tickets/edit')
  async edit(@CurrentProject() project: Project, @Param('ticketId') ticketId: string) {
    const ticket = await this.tickets.find(project, ticketId);
    return this.editLocals(project, ticket, this.valuesOf(ticket), {});
  }

  @Get(':ticketId/delete')
  @Render('tickets/delete')
  async confirmDelete(
    @CurrentProject() project: Project,
    @CurrentUser() user: User,
    @Param('ticketId') ticketId: string,
  ) {
    const ticket = await this.tickets.findDeletable(project, ticketId, user);
    return {
      title: `Delete #${ticket.number}`,
      project: projectView(project),
      ticket: ticketDetails(project, ticket, user, true),
    };
  }

  @Patch(':ticketId')
  async update(
    @CurrentProject() project: Project,
    @CurrentUser() user: User,
    @Param('ticketId') ticketId: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
    @Up() up: Unpoly,
  ) {
    const source = (body as { source?: unknown } | undefined)?.source;
    const form = await validateForm(UpdateTicketDto, body);
    if (!form.ok) {
      const ticket = await this.tickets.find(project, ticketId);
      if (source === 'details' || source === 'board') {
        const message = Object.values(form.errors).join(' ');
        return res
          .status(422)
          .render('tickets/show', { ...this.detailsLocals(project, ticket, user), problem: message });
      }
      const hidden = Object.entries(form.errors).filter(([field]) => !VISIBLE_TICKET_FIELDS.includes(field));
      const problem = hidden.length ? [...new Set(hidden.map(([, message]) => message))].join(' ') : undefined;
      return res
        .status(422)
        .render('tickets/edit', { ...this.editLocals(project, ticket, form.input, form.errors), problem });
    }

    const result = await this.tickets.update(project, ticketId, form.value);
    if (!result.ok) {
      const fields = result.conflicts.map((field) => FIELD_LABELS[field]).join(', ');
      const problem = `Someone else changed this ticket's ${fields} while you had it open, so your change was not saved. The ticket below is as it is now.`;
      if (form.value.source === 'edit' || !form.value.source) {
        // Keep what was typed, based on the current version: saving again knowingly overwrites.
        return res.status(409).render('tickets/edit', {
          ...this.editLocals(
            project,
            result.ticket,
            { ...this.valuesOf(result.ticket), ...this.submitted(form.value) },
            {},
          ),
          problem: `Someone else changed this ticket's ${fields} while you were editing. Your text is kept below; the current ${fields} ${result.conflicts.length > 1 ? 'are' : 'is'} shown beside the field. Save again to replace ${result.conflicts.length > 1 ? 'them' : 'it'} with yours.`,
          current: this.valuesOf(result.ticket),
          conflicts: Object.fromEntries(result.conflicts.map((field) => [field, true])),
        });
      }
      return res.status(409).render('tickets/show', { ...this.detailsLocals(project, result.ticket, user), problem });
    }

    if (form.value.source === 'board') {
      up.emit(TICKETS_CHANGED);
      return res.status(204).end();
    }
    if (form.value.source === 'details') {
      if (!up.isUnpoly) {
        flash(req, 'success', 'Saved.');
        return res.redirect(303, ticketUrl(project, ticketId));
      }
      up.emit(TICKETS_CHANGED);
      return res.render('tickets/show', { ...this.detailsLocals(project, result.ticket, user), saved: true });
    }
    up.finish(ticketUrl(project, ticketId), TICKETS_CHANGED);
  }

  @Delete(':ticketId')
  async remove(
    @CurrentProject() project: Project,
    @CurrentUser() user: User,
    @Param('ticketId') ticketId: string,
    @Req() req: Request,
    @Up() up: Unpoly,
  ) {
    const ticket = await this.tickets.delete(project, ticketId, user);
    if (!up.inOverlay) flash(req, 'success', `Ticket #${ticket.number} was deleted.`);
    up.finish(`/projects/${project.id}`, TICKETS_CHANGED);
  }

  private submitted(input: UpdateTicketDto): FormValues {
    return Object.fromEntries(
      Object.entries(this.valuesOf(input as Ticket)).filter(([, value]) => value !== undefined),
    );
  }

  private valuesOf(ticket: Pick<Ticket, EditableField>): FormValues {
    return { title: ticket.title, description: ticket.description, priority: ticket.priority, status: ticket.status };
  }

  private formLocals(project: Project, values: FormValues, errors: FormErrors) {
    return {
      title: 'Add ticket',
      project: projectView(project),
      action: `/projects/${project.id}/tickets`,
      previewUrl: `/projects/${project.id}/tickets/preview`,
      cancelUrl: `/projects/${project.id}`,
      values,
      errors,
      previewHtml: renderMarkdown(typeof values.description === 'string' ? values.description : ''),
      statuses: statusOptions(values.status),
      priorities: priorityOptions(values.priority),
    };
  }

  private editLocals(project: Project, ticket: Ticket, values: FormValues, errors: FormErrors) {
    return {
      ...this.formLocals(project, values, errors),
      title: `Edit #${ticket.number}`,
      action: ticketUrl(project, ticket.id),
      cancelUrl: ticketUrl(project, ticket.id),
      ticket: { id: ticket.id, number: ticket.number, version: ticket.version },
      base: this.valuesOf(ticket),
    };
  }

  private detailsLocals(project: Project, ticket: Ticket, user: User) {
    const details = ticketDetails(project, ticket, user, this.tickets.canDelete(ticket, user));
    return {
      title: `#${ticket.number} ${ticket.title}`,
      project: projectView(project),
      ticket: details,
      statuses: statusOptions(ticket.status),
      editUrl: `${details.url}/edit`,
      deleteUrl: `${details.url}/delete`,
      boardUrl: `/projects/${project.id}`,
    };
  }
}
