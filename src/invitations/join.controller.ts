import { Body, Controller, Get, Header, HttpException, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { startSignedInSession } from '../accounts/session-settings';
import { Public } from '../common/decorators/public.decorator';
import { Conflict, InvalidInput, wordingOf } from '../common/errors';
import { validateForm } from '../common/forms/validate-form';
import { formErrors, ModalResult, page, redirect } from '../common/unpoly/modal-result';
import { JoinDto } from './dto/join.dto';
import { Invitation } from './invitation.model';
import { JoinService, TokenStatus } from './join.service';

const VIEW = 'invitations/join';

const CLOSED_MESSAGES: Record<Exclude<TokenStatus, 'valid'>, string> = {
  unknown: 'This invitation link is not valid. Check that you copied all of it, or ask a manager for a new invitation.',
  used: 'This invitation has been used already. Sign in, or ask a manager for a new invitation.',
  revoked: 'This invitation was withdrawn. Ask a manager for a new invitation.',
  expired: 'This invitation has expired. Ask a manager for a new invitation.',
};

/** The same, for someone who is signed in: there is nobody to sign in as. */
const CLOSED_WHILE_SIGNED_IN: Record<Exclude<TokenStatus, 'valid'>, string> = {
  unknown: 'This invitation link is not valid.',
  used: 'This invitation has been used already: there is nothing more to do with it.',
  revoked: 'This invitation was withdrawn.',
  expired: 'This invitation has expired.',
};

/** Use case 1.2: anyone holding a valid token creates their account. No session needed. */
@Public()
@Controller('join')
export class JoinController {
  constructor(private readonly join: JoinService) {}

  /** The token is in the URL: it must not leak to other sites through Referer, nor sit in caches. */
  @Get(':token')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-store')
  async show(@Param('token') token: string, @Req() req: Request): Promise<ModalResult> {
    const { status, invitation } = await this.join.lookup(token);
    if (req.user) return signedIn(status);
    if (status !== 'valid') throw closed(status);
    return page(VIEW, formLocals(invitation!, { name: '' }));
  }

  @Post(':token')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-store')
  async accept(@Param('token') token: string, @Body() body: unknown, @Req() req: Request): Promise<ModalResult> {
    if (req.user) return signedIn();
    const { status, invitation } = await this.join.lookup(token);
    if (status !== 'valid') throw closed(status);
    const form = await validateForm(JoinDto, body);
    if (!form.ok) return formErrors(VIEW, formLocals(invitation!, form.input, form.errors));
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
      return formErrors(VIEW, formLocals(invitation!, { ...form.value }, errors));
    }
    if (outcome.kind === 'closed') throw closed(outcome.status);
    // passport regenerates the session (new id, nothing carried over), as at sign-in.
    await new Promise<void>((resolve, reject) =>
      req.login(outcome.user, (error?: Error) => (error ? reject(error) : resolve())),
    );
    await startSignedInSession(req);
    return redirect('/');
  }
}

/** A link opened while signed in: say what became of it, or how to accept it as somebody else. */
function signedIn(status?: TokenStatus): ModalResult {
  const title = 'You are signed in already';
  if (!status || status === 'valid') return page('invitations/signed-in', { title, closedMessage: null });
  return page(
    'invitations/signed-in',
    { title, closedMessage: CLOSED_WHILE_SIGNED_IN[status] },
    { status: status === 'unknown' ? 404 : 410 },
  );
}

/** An error page (HttpErrorFilter) that says why the link no longer works. */
function closed(status: Exclude<TokenStatus, 'valid'>): HttpException {
  return new HttpException(CLOSED_MESSAGES[status], status === 'unknown' ? 404 : 410);
}

function formLocals(invitation: Invitation, values: Record<string, unknown>, errors: Record<string, string> = {}) {
  return {
    title: 'Join hticket',
    invitationEmail: invitation.email,
    role: invitation.role,
    values: { name: values.name ?? '', email: values.email ?? '' },
    errors,
  };
}
