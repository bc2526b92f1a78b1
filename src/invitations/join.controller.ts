import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { startSignedInSession } from '../accounts/session-settings';
import { Public } from '../common/decorators/public.decorator';
import { Conflict, InvalidInput, wordingOf } from '../common/errors';
import { validateForm } from '../common/forms/validate-form';
import { renderError } from '../common/views/render-error';
import { JoinDto } from './dto/join.dto';
import { Invitation } from './invitation.model';
import { JoinService, TokenStatus } from './join.service';

const CLOSED_MESSAGES: Record<Exclude<TokenStatus, 'valid'>, string> = {
  unknown: 'This invitation link is not valid. Check that you copied all of it, or ask a manager for a new invitation.',
  used: 'This invitation has been used already. Sign in, or ask a manager for a new invitation.',
  revoked: 'This invitation was withdrawn. Ask a manager for a new invitation.',
  expired: 'This invitation has expired. Ask a manager for a new invitation.',
};

/** Use case 1.2: anyone holding a valid token creates their account. No session needed. */
@Public()
@Controller('join')
export class JoinController {
  constructor(private readonly join: JoinService) {}

  @Get(':token')
  async show(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (this.signedIn(req, res)) return;
    const { status, invitation } = await this.join.lookup(token);
    if (status !== 'valid') return this.closed(req, res, status);
    this.renderForm(res, 200, invitation!, { name: '' });
  }

  @Post(':token')
  async accept(
    @Param('token') token: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (this.signedIn(req, res)) return;
    const { status, invitation } = await this.join.lookup(token);
    if (status !== 'valid') return this.closed(req, res, status);
    const form = await validateForm(JoinDto, body);
    if (!form.ok) return this.renderForm(res, 422, invitation!, form.input, form.errors);
    let outcome;
    try {
      outcome = await this.join.join(token, form.value);
    } catch (error) {
      const errors =
        error instanceof InvalidInput
          ? { email: 'Enter your email address.' }
          : error instanceof Conflict
            ? { email: wordingOf(error) }
            : null;
      if (!errors) throw error;
      return this.renderForm(res, 422, invitation!, { ...form.value }, errors);
    }
    if (outcome.kind === 'closed') return this.closed(req, res, outcome.status);
    // passport regenerates the session (new id, nothing carried over), as at sign-in.
    await new Promise<void>((resolve, reject) =>
      req.login(outcome.user, (error?: Error) => (error ? reject(error) : resolve())),
    );
    await startSignedInSession(req);
    res.redirect(303, '/');
  }

  private signedIn(req: Request, res: Response): boolean {
    this.protect(res);
    if (!req.user) return false;
    res.render('invitations/signed-in', { title: 'You are signed in already' });
    return true;
  }

  private closed(req: Request, res: Response, status: Exclude<TokenStatus, 'valid'>): void {
    renderError(req, res, status === 'unknown' ? 404 : 410, CLOSED_MESSAGES[status]);
  }

  /** The token is in the URL: it must not leak to other sites through Referer, nor sit in caches. */
  private protect(res: Response): void {
    res.set('Referrer-Policy', 'no-referrer');
    res.set('Cache-Control', 'no-store');
  }

  private renderForm(
    res: Response,
    status: number,
    invitation: Invitation,
    values: Record<string, unknown>,
    errors: Record<string, string> = {},
  ): void {
    res.status(status).render('invitations/join', {
      title: 'Join hticket',
      invitationEmail: invitation.email,
      role: invitation.role,
      values: { name: values.name ?? '', email: values.email ?? '' },
      errors,
    });
  }
}
