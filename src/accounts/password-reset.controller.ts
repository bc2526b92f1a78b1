import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../common/decorators/public.decorator';
import { FormErrors, validateForm } from '../common/forms/validate-form';
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
  showForgot(@Res() res: Response): void {
    renderForgot(res, 200, { email: '' });
  }

  /** The same page, after the same work, whether or not the email has an account. */
  @Post('forgot-password')
  async requestLink(@Body() body: unknown, @Res() res: Response): Promise<void> {
    const form = await validateForm(ForgotPasswordDto, body);
    if (!form.ok) return renderForgot(res, 422, form.input, form.errors);
    await this.resets.request(form.value.email);
    res.status(200).render('accounts/forgot-password-sent', {
      title: 'Check your email',
      ttlMinutes: this.config.passwordResetTtlMinutes,
    });
  }

  @Get('reset-password/:resetToken')
  async showReset(@Param('resetToken') token: string, @Res() res: Response): Promise<void> {
    protect(res);
    const { status, reset } = await this.resets.lookup(token);
    if (status !== 'valid') return renderClosed(res, status);
    renderReset(res, 200, reset!.user!.email);
  }

  @Post('reset-password/:resetToken')
  async reset(
    @Param('resetToken') token: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    protect(res);
    const { status, reset } = await this.resets.lookup(token);
    if (status !== 'valid') return renderClosed(res, status);
    const form = await validateForm(ResetPasswordDto, body);
    if (!form.ok) return renderReset(res, 422, reset!.user!.email, form.errors);
    const outcome = await this.resets.complete(token, form.value.password);
    if (outcome.kind === 'closed') return renderClosed(res, outcome.status);
    // passport regenerates the session (new id, nothing carried over), as at sign-in.
    await new Promise<void>((resolve, reject) =>
      req.login(outcome.user, (error) => (error ? reject(error as Error) : resolve())),
    );
    await this.accounts.recordLogin(outcome.user);
    issueDeviceCookie(res, this.config.sessionSecret, outcome.user.email, this.config.isProduction);
    flash(req, 'success', 'Your password has been changed, and you were signed out everywhere else.');
    await startSignedInSession(req);
    res.redirect(303, '/');
  }
}

/** The token is in the URL: it must not leak to other sites through Referer. */
function protect(res: Response): void {
  res.set('Referrer-Policy', 'no-referrer');
}

function renderForgot(res: Response, status: number, values: Record<string, unknown>, errors: FormErrors = {}): void {
  const email = typeof values.email === 'string' ? values.email : '';
  res.status(status).render('accounts/forgot-password', { title: 'Forgot your password?', email, errors });
}

function renderReset(res: Response, status: number, email: string, errors: FormErrors = {}): void {
  res.status(status).render('accounts/reset-password', { title: 'Choose a new password', email, errors });
}

function renderClosed(res: Response, status: Exclude<ResetLinkStatus, 'valid'>): void {
  const [code, message] = CLOSED[status];
  res.status(code).render('accounts/reset-closed', { title: 'Password reset link', message, status });
}
