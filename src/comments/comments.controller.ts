import { Body, Controller, Delete, Get, Param, Patch, Post, Query, Render } from '@nestjs/common';
import type { User } from '../accounts/user.model';
import { InvalidInput } from '../common/errors';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormErrors, validateForm } from '../common/forms/validate-form';
import { APP_EVENTS } from '../common/unpoly/app-events';
import { done, formErrors, ModalResult } from '../common/unpoly/modal-result';
import { mentionableAmong } from '../common/mentions';
import { CurrentProject } from '../projects/current-project.decorator';
import { MembershipsService } from '../projects/memberships.service';
import { ProjectAccess } from '../projects/project-access.decorator';
import type { Project } from '../projects/project.model';
import type { Ticket } from '../tickets/ticket.model';
import { TicketTimeline } from '../tickets/ticket-timeline';
import { TicketsService } from '../tickets/tickets.service';
import { ticketPageTitle } from '../tickets/ticket-view';
import type { Comment } from './comment.model';
import { commentEntry, ticketPath } from './comment-view';
import { CommentsService } from './comments.service';
import { COMMENT_MAX, CommentDto } from './dto/comment-form.dto';
import { parseCursor } from './timeline-cursor';

type FormValues = Partial<Record<string, unknown>>;

/**
 * Comments of a ticket, in its details modal: adding one re-renders the timeline in place, editing
 * one swaps it for a form in place; earlier pages of the timeline load in place too. Every URL is
 * also a page.
 */
@Controller('projects/:projectId/tickets/:ticketId/comments')
@ProjectAccess('member')
export class CommentsController {
  constructor(
    private readonly comments: CommentsService,
    private readonly tickets: TicketsService,
    private readonly timeline: TicketTimeline,
    private readonly memberships: MembershipsService,
  ) {}

  /** An earlier page of the timeline ("Show earlier activity"). */
  @Get()
  @Render('comments/earlier')
  async earlier(
    @CurrentProject() project: Project,
    @CurrentUser() user: User,
    @Param('ticketId') ticketId: string,
    @Query('before') before: unknown,
  ) {
    const ticket = await this.tickets.find(project, ticketId);
    if (typeof before !== 'string' || !parseCursor(before)) throw new InvalidInput({ before: 'not-a-timeline-cursor' });
    return {
      title: `${ticketPageTitle(ticket)}: earlier activity`,
      ticketUrl: ticketPath(ticket),
      replaces: `timeline-earlier-${before}`,
      timeline: await this.timeline.page(ticket, user, before),
    };
  }

  @Post()
  async add(
    @CurrentProject() project: Project,
    @CurrentUser() user: User,
    @Param('ticketId') ticketId: string,
    @Body() body: unknown,
  ): Promise<ModalResult> {
    const form = await validateForm(CommentDto, body);
    if (!form.ok) {
      const ticket = await this.tickets.find(project, ticketId);
      return formErrors('comments/timeline', await this.timelineLocals(project, ticket, user, form.input, form.errors));
    }
    await this.comments.add(project, ticketId, user, form.value.body);
    const ticket = await this.tickets.find(project, ticketId);
    return done({
      redirectTo: ticketPath(ticket),
      events: [APP_EVENTS.ticketsChanged],
      flash: 'Comment added.',
      inPlace: {
        view: 'comments/timeline',
        locals: { ...(await this.timelineLocals(project, ticket, user, {}, {})), notice: 'Comment added.' },
      },
    });
  }

  /** One comment (where "Cancel" of an edit goes back to). */
  @Get(':commentId')
  @Render('comments/comment')
  async one(
    @CurrentProject() project: Project,
    @CurrentUser() user: User,
    @Param('ticketId') ticketId: string,
    @Param('commentId') commentId: string,
  ) {
    const { ticket, comment } = await this.comments.find(project, ticketId, commentId);
    return this.commentLocals(ticket, comment, user);
  }

  @Get(':commentId/edit')
  @Render('comments/edit')
  async editForm(
    @CurrentProject() project: Project,
    @CurrentUser() user: User,
    @Param('ticketId') ticketId: string,
    @Param('commentId') commentId: string,
  ) {
    const { ticket, comment } = await this.comments.findEditable(project, ticketId, commentId, user);
    return this.editLocals(ticket, comment, user, { body: comment.body }, {});
  }

  @Patch(':commentId')
  async edit(
    @CurrentProject() project: Project,
    @CurrentUser() user: User,
    @Param('ticketId') ticketId: string,
    @Param('commentId') commentId: string,
    @Body() body: unknown,
  ): Promise<ModalResult> {
    // Someone else's comment answers 404 whatever was sent.
    const { ticket, comment } = await this.comments.findEditable(project, ticketId, commentId, user);
    const form = await validateForm(CommentDto, body);
    if (!form.ok)
      return formErrors('comments/edit', await this.editLocals(ticket, comment, user, form.input, form.errors));
    const saved = await this.comments.edit(project, ticketId, commentId, user, form.value.body);
    return done({
      redirectTo: ticketPath(ticket),
      flash: 'Comment saved.',
      inPlace: {
        view: 'comments/comment',
        locals: { ...(await this.commentLocals(ticket, saved.comment, user)), saved: true },
      },
    });
  }

  /** Asks before deleting (a modal over the details, like every confirmation). */
  @Get(':commentId/delete')
  @Render('comments/delete')
  async confirmDelete(
    @CurrentProject() project: Project,
    @CurrentUser() user: User,
    @Param('ticketId') ticketId: string,
    @Param('commentId') commentId: string,
  ) {
    const { ticket, comment } = await this.comments.findDeletable(project, ticketId, commentId, user);
    return { ...(await this.commentLocals(ticket, comment, user)), title: `Delete a comment on #${ticket.number}` };
  }

  @Delete(':commentId')
  async remove(
    @CurrentProject() project: Project,
    @CurrentUser() user: User,
    @Param('ticketId') ticketId: string,
    @Param('commentId') commentId: string,
  ): Promise<ModalResult> {
    const { ticket } = await this.comments.delete(project, ticketId, commentId, user);
    return done({
      redirectTo: ticketPath(ticket),
      events: [APP_EVENTS.ticketsChanged],
      flash: 'Comment deleted.',
      inPlace: {
        view: 'comments/timeline',
        locals: { ...(await this.timelineLocals(project, ticket, user, {}, {})), notice: 'Comment deleted.' },
      },
    });
  }

  private async timelineLocals(project: Project, ticket: Ticket, user: User, values: FormValues, errors: FormErrors) {
    return {
      title: ticketPageTitle(ticket),
      ticketUrl: ticketPath(ticket),
      previewUrl: `/projects/${project.id}/tickets/preview`,
      mentionsUrl: `/projects/${project.id}/tickets/mentionable`,
      timeline: await this.timeline.page(ticket, user),
      comment: { values, errors, max: COMMENT_MAX },
    };
  }

  private async commentLocals(ticket: Ticket, comment: Comment, user: User) {
    // Who can be mentioned, read only when the comment may mention someone.
    const mentionable = comment.body.includes('@')
      ? mentionableAmong(await this.memberships.peopleWithAccess(ticket.projectId))
      : undefined;
    return {
      title: `Comment on #${ticket.number}`,
      ticketUrl: ticketPath(ticket),
      entry: commentEntry(ticket, comment, user, mentionable),
    };
  }

  private async editLocals(ticket: Ticket, comment: Comment, user: User, values: FormValues, errors: FormErrors) {
    return {
      ...(await this.commentLocals(ticket, comment, user)),
      title: `Edit comment on #${ticket.number}`,
      previewUrl: `/projects/${ticket.projectId}/tickets/preview`,
      mentionsUrl: `/projects/${ticket.projectId}/tickets/mentionable`,
      values,
      errors,
      max: COMMENT_MAX,
    };
  }
}
