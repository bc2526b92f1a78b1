import { Body, Controller, Get, Header, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { startSignedInSession } from '../accounts/session-settings';
import { Public } from '../common/decorators/public.decorator';
import { Conflict, InvalidInput } from '../common/errors';
import { validateForm } from '../common/forms/validate-form';
import { formErrors, ModalResult, page, redirect } from '../common/unpoly/modal-result';
import { JoinDto } from './dto/join.dto';
import { Invitation } from './invitation.model';
import { JoinService, TokenStatus } from './join.service';

const VIEW = 'invitations/join';

const CLOSED_MESSAGES: Record<Exclude<TokenStatus, 'valid'>, string> = {
  unknown:
    'This invitation link is not valid. If a newer invitation email reached you, use the link in that one; otherwise check that you copied all of it, or ask a manager for a new invitation.',
  used: 'This invitation has been used already. Sign in, or ask a manager for a new invitation.',
  revoked: 'This invitation was withdrawn. Ask a manager for a new invitation.',
  expired: 'This invitation has expired. Ask a manager for a new invitation.',
  'has-account':
    'An account with this email exists already, so this invitation cannot create another one. Sign in with it instead.',
};

/** The same, for someone who is signed in: there is nobody to sign in as. */
const CLOSED_WHILE_SIGNED_IN: Record<Exclude<TokenStatus, 'valid'>, string> = {
  unknown: 'This invitation link is not valid.',
  used: 'This invitation has been used already: there is nothing more to do with it.',
  revoked: 'This invitation was withdrawn.',
  expired: 'This invitation has expired.',
  'has-account': 'This invitation is for an account that exists already.',
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
    if (status !== 'valid') return closed(status);
    return page(VIEW, formLocals(invitation!, { name: '' }));
  }

  @Post(':token')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-store')
  async accept(@Param('token') token: string, @Body() body: unknown, @Req() req: Request): Promise<ModalResult> {
    if (req.user) return signedIn();
    const { status, invitation } = await this.join.lookup(token);
    if (status !== 'valid') return closed(status);
    const form = await validateForm(JoinDto, body);
    if (!form.ok) return formErrors(VIEW, formLocals(invitation!, form.input, form.errors));
    let outcome;
    try {
      outcome = await this.join.join(token, form.value);
    } catch (error) {
      // An account with this email appeared meanwhile: the form can never succeed, so no form.
      if (error instanceof Conflict) return closed('has-account');
      if (!(error instanceof InvalidInput)) throw error;
      return formErrors(VIEW, formLocals(invitation!, { ...form.value }, { email: 'Enter your email address.' }));
    }
    if (outcome.kind === 'closed') return closed(outcome.status);
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
    { status: statusCode(status) },
  );
}

/** Says why the link does not work and, before anything else, offers a real sign-in link. */
function closed(status: Exclude<TokenStatus, 'valid'>): ModalResult {
  const hasAccount = status === 'has-account';
  return page(
    'invitations/closed',
    {
      title: hasAccount ? 'You have an account already' : 'Invitation not valid',
      message: CLOSED_MESSAGES[status],
      hasAccount,
    },
    { status: statusCode(status) },
  );
}

function statusCode(status: Exclude<TokenStatus, 'valid'>): number {
  return status === 'unknown' ? 404 : status === 'has-account' ? 409 : 410;
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
