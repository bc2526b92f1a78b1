import { Body, Controller, Delete, Get, Header, Param, Post, Query, Render } from '@nestjs/common';
import type { User } from '../accounts/user.model';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { FormErrors, validateForm } from '../common/forms/validate-form';
import { APP_EVENTS } from '../common/unpoly/app-events';
import { done, formErrors, ModalResult, page } from '../common/unpoly/modal-result';
import { ProjectsService } from '../projects/projects.service';
import { InviteDto } from './dto/invite.dto';
import { InvitationsService } from './invitations.service';

const FORM_VIEW = 'invitations/new';

const INVITE_ERRORS: Record<string, FormErrors> = {
  'has-account': { email: 'This person already has an account. Choose a project to add them to it.' },
  'already-member': { email: 'This person is already a member of that project.' },
  'unknown-project': { projectId: 'Choose a project from the list.' },
};

/** Manager pages: the invitations list and the invite / resend / revoke / copy-link modals. */
@Controller('invitations')
@Roles('MANAGER')
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly projects: ProjectsService,
  ) {}

  @Get()
  @Render('invitations/index')
  async index() {
    return { title: 'Invitations', invitations: await this.invitations.list() };
  }

  @Get('new')
  async showNew(@CurrentUser() user: User, @Query('projectId') projectId?: string): Promise<ModalResult> {
    const values = { email: '', role: 'MEMBER', projectId: typeof projectId === 'string' ? projectId : '' };
    return page(FORM_VIEW, await this.formLocals(user, values));
  }

  @Post()
  async create(@CurrentUser() user: User, @Body() body: unknown): Promise<ModalResult> {
    const form = await validateForm(InviteDto, body);
    if (!form.ok) return formErrors(FORM_VIEW, await this.formLocals(user, form.input, form.errors));
    const outcome = await this.invitations.invite(user, form.value);
    if (outcome.kind in INVITE_ERRORS)
      return formErrors(FORM_VIEW, await this.formLocals(user, { ...form.value }, INVITE_ERRORS[outcome.kind]));
    const email = form.value.email.trim();
    if ('mailQueued' in outcome && !outcome.mailQueued)
      return mailDelayed(email, outcome.kind === 'added' ? outcome.project.name : null);
    const message =
      outcome.kind === 'added'
        ? `${email} already had an account and was added to ${outcome.project.name}.`
        : outcome.kind === 'resent'
          ? `The pending invitation for ${email} was sent again with a new link.`
          : `Invitation for ${email} is on its way.`;
    return done({ redirectTo: '/invitations', events: [APP_EVENTS.invitationsChanged], flash: message });
  }

  @Get(':id/resend')
  @Render('invitations/resend')
  async confirmResend(@Param('id') id: string) {
    return { title: 'Resend invitation', invitation: await this.invitations.find(id) };
  }

  @Post(':id/resend')
  async resend(@CurrentUser() user: User, @Param('id') id: string): Promise<ModalResult> {
    const outcome = await this.invitations.resend(id, user);
    if (outcome.kind === 'resent') {
      if (!outcome.mailQueued) return mailDelayed((await this.invitations.find(id)).email, null);
      return done({
        redirectTo: '/invitations',
        events: [APP_EVENTS.invitationsChanged],
        flash: 'The invitation was sent again with a new link.',
      });
    }
    const [status, error] =
      outcome.kind === 'too-soon'
        ? ([
            429,
            `This invitation was sent moments ago. Wait ${outcome.waitSeconds} seconds before sending it again.`,
          ] as const)
        : ([409, `This invitation is ${outcome.state} and cannot be sent again.`] as const);
    const invitation = await this.invitations.find(id);
    return formErrors('invitations/resend', { title: 'Resend invitation', invitation, error }, status);
  }

  @Get(':id/revoke')
  @Render('invitations/revoke')
  async confirmRevoke(@Param('id') id: string) {
    return { title: 'Revoke invitation', invitation: await this.invitations.find(id) };
  }

  @Delete(':id')
  async revoke(@Param('id') id: string): Promise<ModalResult> {
    if (await this.invitations.revoke(id))
      return done({
        redirectTo: '/invitations',
        events: [APP_EVENTS.invitationsChanged],
        flash: 'The invitation was revoked.',
      });
    const invitation = await this.invitations.find(id);
    const error = `This invitation is ${invitation.state} already.`;
    return formErrors('invitations/revoke', { title: 'Revoke invitation', invitation, error }, 409);
  }

  @Get(':id/link')
  @Render('invitations/link')
  async confirmLink(@Param('id') id: string) {
    return { title: 'Copy invitation link', invitation: await this.invitations.find(id) };
  }

  /** The link is in this response only: never cached, never shown again. */
  @Post(':id/link')
  @Header('Cache-Control', 'no-store')
  async createLink(@Param('id') id: string): Promise<ModalResult> {
    const link = await this.invitations.copyLink(id);
    const invitation = await this.invitations.find(id);
    const title = 'Copy invitation link';
    if (!link)
      return formErrors(
        'invitations/link',
        { title, invitation, error: `This invitation is ${invitation.state}.` },
        409,
      );
    return page('invitations/link', { title, invitation, link }, { events: [APP_EVENTS.invitationsChanged] });
  }

  private async formLocals(user: User, values: Record<string, unknown>, errors: FormErrors = {}) {
    const projects = await this.projects.listForUser(user);
    return {
      title: 'Invite someone',
      values,
      errors,
      projects: projects.map((p) => ({ id: p.id, name: p.name, selected: p.id === values.projectId })),
      isManagerRole: values.role === 'MANAGER',
    };
  }
}

/**
 * Saved, but the mail queue is away: the modal stays open to say so (closing it with a
 * "sent" flash would mislead), and the list underneath refreshes.
 */
function mailDelayed(email: string, addedTo: string | null): ModalResult {
  return page(
    'invitations/delayed',
    { title: 'Email delayed', email, addedTo },
    { events: [APP_EVENTS.invitationsChanged] },
  );
}
