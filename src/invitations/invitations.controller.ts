import { Body, Controller, Delete, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { User } from '../accounts/user.model';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { FormErrors, validateForm } from '../common/forms/validate-form';
import { Up } from '../common/unpoly/up.decorator';
import { Unpoly } from '../common/unpoly/unpoly';
import { flash } from '../common/views/flash';
import { ProjectsService } from '../projects/projects.service';
import { InviteDto } from './dto/invite.dto';
import { InvitationsService } from './invitations.service';

export const INVITATIONS_CHANGED = 'invitations:changed';

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
  async index(@Res() res: Response): Promise<void> {
    res.render('invitations/index', { title: 'Invitations', invitations: await this.invitations.list() });
  }

  @Get('new')
  async showNew(
    @CurrentUser() user: User,
    @Res() res: Response,
    @Query('projectId') projectId?: string,
  ): Promise<void> {
    await this.renderForm(res, user, 200, {
      email: '',
      role: 'MEMBER',
      projectId: typeof projectId === 'string' ? projectId : '',
    });
  }

  @Post()
  async create(
    @CurrentUser() user: User,
    @Body() body: unknown,
    @Res() res: Response,
    @Up() up: Unpoly,
  ): Promise<void> {
    const form = await validateForm(InviteDto, body);
    if (!form.ok) return this.renderForm(res, user, 422, form.input, form.errors);
    const outcome = await this.invitations.invite(user, form.value);
    if (outcome.kind in INVITE_ERRORS)
      return this.renderForm(res, user, 422, { ...form.value }, INVITE_ERRORS[outcome.kind]);
    const email = form.value.email.trim();
    if ('mailQueued' in outcome && !outcome.mailQueued)
      return this.renderMailDelayed(res, up, email, outcome.kind === 'added' ? outcome.project.name : null);
    const message =
      outcome.kind === 'added'
        ? `${email} already had an account and was added to ${outcome.project.name}.`
        : outcome.kind === 'resent'
          ? `The pending invitation for ${email} was sent again with a new link.`
          : `Invitation for ${email} is on its way.`;
    flash(res.req, 'success', message);
    up.finish('/invitations', INVITATIONS_CHANGED);
  }

  @Get(':id/resend')
  async confirmResend(@Param('id') id: string, @Res() res: Response): Promise<void> {
    res.render('invitations/resend', { title: 'Resend invitation', invitation: await this.invitations.find(id) });
  }

  @Post(':id/resend')
  async resend(
    @CurrentUser() user: User,
    @Param('id') id: string,
    @Res() res: Response,
    @Up() up: Unpoly,
  ): Promise<void> {
    const outcome = await this.invitations.resend(id, user);
    if (outcome.kind === 'resent') {
      if (!outcome.mailQueued) return this.renderMailDelayed(res, up, (await this.invitations.find(id)).email, null);
      return up.finish('/invitations', INVITATIONS_CHANGED);
    }
    const [status, error] =
      outcome.kind === 'too-soon'
        ? [429, `This invitation was sent moments ago. Wait ${outcome.waitSeconds} seconds before sending it again.`]
        : [409, `This invitation is ${outcome.state} and cannot be sent again.`];
    res
      .status(status)
      .render('invitations/resend', { title: 'Resend invitation', invitation: await this.invitations.find(id), error });
  }

  @Get(':id/revoke')
  async confirmRevoke(@Param('id') id: string, @Res() res: Response): Promise<void> {
    res.render('invitations/revoke', { title: 'Revoke invitation', invitation: await this.invitations.find(id) });
  }

  @Delete(':id')
  async revoke(@Param('id') id: string, @Res() res: Response, @Up() up: Unpoly): Promise<void> {
    if (await this.invitations.revoke(id)) return up.finish('/invitations', INVITATIONS_CHANGED);
    const invitation = await this.invitations.find(id);
    res
      .status(409)
      .render('invitations/revoke', {
        title: 'Revoke invitation',
        invitation,
        error: `This invitation is ${invitation.state} already.`,
      });
  }

  @Get(':id/link')
  async confirmLink(@Param('id') id: string, @Res() res: Response): Promise<void> {
    res.render('invitations/link', { title: 'Copy invitation link', invitation: await this.invitations.find(id) });
  }

  /** The link is in this response only: never cached, never shown again. */
  @Post(':id/link')
  async createLink(@Param('id') id: string, @Res() res: Response, @Up() up: Unpoly): Promise<void> {
    const link = await this.invitations.copyLink(id);
    const invitation = await this.invitations.find(id);
    res.set('Cache-Control', 'no-store');
    if (!link) {
      res
        .status(409)
        .render('invitations/link', {
          title: 'Copy invitation link',
          invitation,
          error: `This invitation is ${invitation.state}.`,
        });
      return;
    }
    up.emit(INVITATIONS_CHANGED);
    res.status(200).render('invitations/link', { title: 'Copy invitation link', invitation, link });
  }

  /**
   * Saved, but the mail queue is away: the modal stays open to say so (closing it with a
   * "sent" flash would mislead), and the list underneath refreshes.
   */
  private renderMailDelayed(res: Response, up: Unpoly, email: string, addedTo: string | null): void {
    up.emit(INVITATIONS_CHANGED);
    res.status(200).render('invitations/delayed', { title: 'Email delayed', email, addedTo });
  }

  private async renderForm(
    res: Response,
    user: User,
    status: number,
    values: Record<string, unknown>,
    errors: FormErrors = {},
  ): Promise<void> {
    const projects = await this.projects.listForUser(user);
    res.status(status).render('invitations/new', {
      title: 'Invite someone',
      values,
      errors,
      projects: projects.map((p) => ({ id: p.id, name: p.name, selected: p.id === values.projectId })),
      isManagerRole: values.role === 'MANAGER',
    });
  }
}
