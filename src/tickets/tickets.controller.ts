import { Body, Controller, Delete, Get, Param, Patch, Post, Render } from '@nestjs/common';
import type { User } from '../accounts/user.model';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { NotAllowed, wordingOf } from '../common/errors';
import { FormErrors, validateForm } from '../common/forms/validate-form';
import { APP_EVENTS } from '../common/unpoly/app-events';
import { done, formErrors, ModalResult, noContent, page } from '../common/unpoly/modal-result';
import { CurrentProject } from '../projects/current-project.decorator';
import { ProjectAccess } from '../projects/project-access.decorator';
import type { Project } from '../projects/project.model';
import { CreateTicketDto, PreviewDto, UpdateTicketDto, VISIBLE_TICKET_FIELDS } from './dto/ticket-form.dto';
import { renderMarkdown } from '../common/markdown';
import { mentionableAmong } from '../common/mentions';
import { Ticket } from './ticket.model';
import { assigneeOptions, priorityOptions, projectView, statusOptions, ticketDetails, ticketUrl } from './ticket-view';
import { TicketDetailsPage } from './ticket-details-page';
import { EditableField, TicketsService, UpdateResult } from './tickets.service';

type FormValues = Partial<Record<string, unknown>>;

/** How the fields are called in messages. */
const FIELD_NAMES: Record<EditableField, string> = {
  title: 'title',
  description: 'description',
  priority: 'priority',
  status: 'status',
  assigneeId: 'assignee',
};

const refusedAssignee = (error: unknown): string | null =>
  error instanceof NotAllowed && error.reason === 'assignee-without-access' ? wordingOf(error) : null;

/** Ticket create, details, edit, status change and delete: each a modal that is also a page. */
@Controller('projects/:projectId/tickets')
@ProjectAccess('member')
export class TicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly details: TicketDetailsPage,
  ) {}

  @Get('new')
  @Render('tickets/new')
  newForm(@CurrentProject() project: Project) {
    return this.formLocals(project, { priority: 'MEDIUM', status: 'OPEN', assigneeId: '' }, {});
  }

  @Post()
  async create(
    @CurrentProject() project: Project,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<ModalResult> {
    const form = await validateForm(CreateTicketDto, body);
    if (!form.ok) return formErrors('tickets/new', await this.formLocals(project, form.input, form.errors));
    let ticket: Ticket;
    try {
      ticket = await this.tickets.create(project, user, form.value);
    } catch (error) {
      const refusal = refusedAssignee(error);
      if (!refusal) throw error;
      const values = { ...form.value, assigneeId: form.value.assigneeId ?? '' };
      return formErrors('tickets/new', await this.formLocals(project, values, { assigneeId: refusal }));
    }
    return done({
      redirectTo: `/projects/${project.id}`,
      events: [APP_EVENTS.ticketsChanged],
      flash: `Ticket #${ticket.number} added.`,
    });
  }

  /**
   * The people a ticket's text can mention, as an HTML list for the textarea's autocomplete
   * (public/mentions.js): everyone with access to the project whose handle is theirs alone.
   */
  @Get('mentionable')
  @Render('tickets/mentionable')
  async mentionable(@CurrentProject() project: Project) {
    const people = [...mentionableAmong(await this.tickets.assignableIn(project))];
    return { layout: false, people: people.map(([handle, person]) => ({ handle, name: person.displayName })) };
  }

  /** Renders posted Markdown exactly as the details will show it (the form's preview). */
  @Post('preview')
  async preview(@CurrentProject() project: Project, @Body() body: unknown): Promise<ModalResult> {
    const form = await validateForm(PreviewDto, body);
    if (!form.ok) {
      const error = Object.values(form.errors).join(' ');
      const previewId = form.errors.previewId ? null : form.input.previewId;
      return formErrors('tickets/preview', { layout: false, html: '', error, previewId });
    }
    const { description, previewId } = form.value;
    const mentionable = description.includes('@')
      ? mentionableAmong(await this.tickets.assignableIn(project))
      : undefined;
    return page('tickets/preview', {
      layout: false,
      html: renderMarkdown(description, mentionable),
      error: null,
      previewId,
    });
  }

  @Get(':ticketId')
  @Render('tickets/show')
  async show(@CurrentProject() project: Project, @CurrentUser() user: User, @Param('ticketId') ticketId: string) {
    return this.details.forTicketId(project, ticketId, user);
  }

  @Get(':ticketId/edit')
  @Render('tickets/edit')
  async edit(@CurrentProject() project: Project, @Param('ticketId') ticketId: string) {
    const ticket = await this.tickets.find(project, ticketId);
    return this.editLocals(project, ticket, this.formValuesOf(ticket), {});
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

  /**
   * The edit form (source "edit"), the status and assignee menus of the details (source
   * "details") and the board's drag and drop (source "board") all send this PATCH.
   */
  @Patch(':ticketId')
  async update(
    @CurrentProject() project: Project,
    @CurrentUser() user: User,
    @Param('ticketId') ticketId: string,
    @Body() body: unknown,
  ): Promise<ModalResult> {
    const source = (body as { source?: unknown } | undefined)?.source;
    const form = await validateForm(UpdateTicketDto, body);
    if (!form.ok) {
      const ticket = await this.tickets.find(project, ticketId);
      if (source === 'details' || source === 'board') {
        const message = Object.values(form.errors).join(' ');
        return formErrors('tickets/show', { ...(await this.details.locals(project, ticket, user)), problem: message });
      }
      const hidden = Object.entries(form.errors).filter(([field]) => !VISIBLE_TICKET_FIELDS.includes(field));
      const problem = hidden.length ? [...new Set(hidden.map(([, message]) => message))].join(' ') : undefined;
      return formErrors('tickets/edit', {
        ...(await this.editLocals(project, ticket, form.input, form.errors)),
        problem,
      });
    }

    let result: UpdateResult;
    try {
      result = await this.tickets.update(project, ticketId, form.value, user);
    } catch (error) {
      const refusal = refusedAssignee(error);
      if (!refusal) throw error;
      const ticket = await this.tickets.find(project, ticketId);
      if (form.value.source === 'details' || form.value.source === 'board')
        return formErrors('tickets/show', {
          ...(await this.details.locals(project, ticket, user)),
          assigneeError: refusal,
        });
      const values = { ...this.formValuesOf(ticket), ...this.submitted(form.value) };
      return formErrors('tickets/edit', await this.editLocals(project, ticket, values, { assigneeId: refusal }));
    }
    if (!result.ok) {
      const fields = result.conflicts.map((field) => FIELD_NAMES[field]).join(', ');
      if (form.value.source === 'edit' || !form.value.source) {
        const several = result.conflicts.length > 1;
        // Keep what was typed, based on the current version: saving again knowingly overwrites.
        return formErrors(
          'tickets/edit',
          {
            ...(await this.editLocals(
              project,
              result.ticket,
              { ...this.formValuesOf(result.ticket), ...this.submitted(form.value) },
              {},
            )),
            problem: `Someone else changed this ticket's ${fields} while you were editing. Your text is kept below; the current ${fields} ${several ? 'are' : 'is'} shown beside the field. Save again to replace ${several ? 'them' : 'it'} with yours.`,
            current: { ...this.valuesOf(result.ticket), assignee: result.ticket.assignee?.displayName ?? 'Unassigned' },
            conflicts: Object.fromEntries(result.conflicts.map((field) => [field, true])),
          },
          409,
        );
      }
      const problem = `Someone else changed this ticket's ${fields} while you had it open, so your change was not saved. The ticket below is as it is now.`;
      return formErrors('tickets/show', { ...(await this.details.locals(project, result.ticket, user)), problem }, 409);
    }

    const events = [APP_EVENTS.ticketsChanged];
    if (form.value.source === 'board') return noContent({ events });
    if (form.value.source === 'details') {
      return done({
        redirectTo: ticketUrl(project, ticketId),
        events,
        flash: 'Saved.',
        inPlace: {
          view: 'tickets/show',
          locals: {
            ...(await this.details.locals(project, await this.tickets.find(project, ticketId), user)),
            saved: true,
          },
        },
      });
    }
    return done({ redirectTo: ticketUrl(project, ticketId), events, flash: 'Ticket saved.' });
  }

  @Delete(':ticketId')
  async remove(
    @CurrentProject() project: Project,
    @CurrentUser() user: User,
    @Param('ticketId') ticketId: string,
  ): Promise<ModalResult> {
    const ticket = await this.tickets.delete(project, ticketId, user);
    return done({
      redirectTo: `/projects/${project.id}`,
      events: [APP_EVENTS.ticketsChanged],
      flash: `Ticket #${ticket.number} was deleted.`,
    });
  }

  private submitted(input: UpdateTicketDto): FormValues {
    return Object.fromEntries(
      Object.entries(this.formValuesOf(input as Ticket)).filter(([, value]) => value !== undefined),
    );
  }

  private valuesOf(ticket: Pick<Ticket, EditableField>): FormValues {
    return {
      title: ticket.title,
      description: ticket.description,
      priority: ticket.priority,
      status: ticket.status,
      assigneeId: ticket.assigneeId,
    };
  }

  /** As a form holds them: nobody assigned is the blank option. */
  private formValuesOf(ticket: Pick<Ticket, EditableField>): FormValues {
    const values = this.valuesOf(ticket);
    return { ...values, assigneeId: values.assigneeId === null ? '' : values.assigneeId };
  }

  private async formLocals(project: Project, values: FormValues, errors: FormErrors, current?: Ticket['assignee']) {
    return {
      title: 'Add ticket',
      project: projectView(project),
      action: `/projects/${project.id}/tickets`,
      previewUrl: `/projects/${project.id}/tickets/preview`,
      mentionsUrl: `/projects/${project.id}/tickets/mentionable`,
      cancelUrl: `/projects/${project.id}`,
      values,
      errors,
      previewHtml: renderMarkdown(typeof values.description === 'string' ? values.description : ''),
      statuses: statusOptions(values.status),
      priorities: priorityOptions(values.priority),
      assignees: assigneeOptions(await this.tickets.assignableIn(project), values.assigneeId, current),
    };
  }

  private async editLocals(project: Project, ticket: Ticket, values: FormValues, errors: FormErrors) {
    return {
      ...(await this.formLocals(project, values, errors, ticket.assignee)),
      title: `Edit #${ticket.number}`,
      action: ticketUrl(project, ticket.id),
      cancelUrl: ticketUrl(project, ticket.id),
      ticket: { id: ticket.id, number: ticket.number, version: ticket.version },
      base: this.formValuesOf(ticket),
    };
  }
}
