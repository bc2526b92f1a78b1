import { Body, Controller, Get, Header, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../common/decorators/public.decorator';
import { FormErrors, validateForm } from '../common/forms/validate-form';
import { formErrors, ModalResult, page, redirect } from '../common/unpoly/modal-result';
import { flash } from '../common/views/flash';
import { AppConfig } from '../config/app-config';
import { AccountsService } from './accounts.service';
import { issueDeviceCookie } from './device-cookie';
import { ForgotPasswordDto, ResetPasswordDto } from './dto/password-reset.dto';
import { PasswordResetsService, ResetLinkStatus } from './password-resets.service';
import { startSignedInSession } from './session-settings';

const CLOSED: Record<Exclude<ResetLinkStatus, 'valid'>, [number, string]> = {
  unknown: [404, 'This password reset link is not valid. Check that you copied all of it, or ask for a new one.'],
  used: [410, 'This password reset link has been used already. Sign in with your new password, or ask for a new link.'],
  replaced: [410, 'A newer password reset link was created since this one. Use the newest one, or ask for a new link.'],
  expired: [410, 'This password reset link has expired. Ask for a new one.'],
  closed: [410, 'This password reset link no longer works. Ask a manager of your team.'],
};

/** "Forgot your password?" and the reset link it mails. No session needed. */
@Public()
@Controller()
export class PasswordResetController {
  constructor(
    private readonly resets: PasswordResetsService,
    private readonly accounts: AccountsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get('forgot-password')
  showForgot(): ModalResult {
    return page(FORGOT_VIEW, forgotLocals({ email: '' }));
  }

  /** The same page, after the same work, whether or not the email has an account. */
  @Post('forgot-password')
  async requestLink(@Body() body: unknown): Promise<ModalResult> {
    const form = await validateForm(ForgotPasswordDto, body);
    if (!form.ok) return formErrors(FORGOT_VIEW, forgotLocals(form.input, form.errors));
    await this.resets.request(form.value.email);
    return page('accounts/forgot-password-sent', {
      title: 'Check your email',
      ttlMinutes: this.config.passwordResetTtlMinutes,
    });
  }

  /** The token is in the URL: it must not leak to other sites through Referer, nor sit in caches. */
  @Get('reset-password/:resetToken')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-store')
  async showReset(@Param('resetToken') token: string): Promise<ModalResult> {
    const { status, reset } = await this.resets.lookup(token);
    if (status !== 'valid') return closed(status);
    return page(RESET_VIEW, resetLocals(reset!.user!.email));
  }

  /** The raw response only to set the device cookie; the result answers. */
  @Post('reset-password/:resetToken')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-store')
  async reset(
    @Param('resetToken') token: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ModalResult> {
    const { status, reset } = await this.resets.lookup(token);
    if (status !== 'valid') return closed(status);
    const form = await validateForm(ResetPasswordDto, body);
    if (!form.ok) return formErrors(RESET_VIEW, resetLocals(reset!.user!.email, form.errors));
    const outcome = await this.resets.complete(token, form.value.password);
    if (outcome.kind === 'closed') return closed(outcome.status);
    // passport regenerates the session (new id, nothing carried over), as at sign-in.
    await new Promise<void>((resolve, reject) =>
      req.login(outcome.user, (error?: Error) => (error ? reject(error) : resolve())),
    );
    await this.accounts.recordLogin(outcome.user);
    issueDeviceCookie(res, this.config.sessionSecret, outcome.user.email, this.config.isProduction);
    flash(req, 'success', 'Your password has been changed, and you were signed out everywhere else.');
    await startSignedInSession(req);
    return redirect('/');
  }
}

const FORGOT_VIEW = 'accounts/forgot-password';
const RESET_VIEW = 'accounts/reset-password';

function forgotLocals(values: Record<string, unknown>, errors: FormErrors = {}) {
  const email = typeof values.email === 'string' ? values.email : '';
  return { title: 'Forgot your password?', email, errors };
}

function resetLocals(email: string, errors: FormErrors = {}) {
  return { title: 'Choose a new password', email, errors };
}

function closed(status: Exclude<ResetLinkStatus, 'valid'>): ModalResult {
  const [code, message] = CLOSED[status];
  return page('accounts/reset-closed', { title: 'Password reset link', message, status }, { status: code });
}
