import { Controller, Get, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../common/decorators/public.decorator';
import { done, formErrors, ModalResult, page, redirect } from '../common/unpoly/modal-result';
import { AppConfig } from '../config/app-config';
import { AccountsService } from './accounts.service';
import { issueDeviceCookie } from './device-cookie';
import { LocalAuthGuard } from './local-auth.guard';
import { safeNext } from './safe-next';
import { SESSION_COOKIE, startSignedInSession } from './session-settings';
import { User } from './user.model';

export const LOGIN_FAILED = 'Email or password is incorrect.';

@Controller()
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('login')
  showLogin(@Req() req: Request, @Query('next') next?: string, @Query('again') again?: string): ModalResult {
    if (req.user) return redirect(safeNext(next));
    return page('accounts/login', { title: 'Sign in', next: safeNext(next, ''), email: '', again: again === '1' });
  }

  @Public()
  @Post('login')
  @UseGuards(LocalAuthGuard)
  async login(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ModalResult> {
    const body = (req.body ?? {}) as { email?: unknown; next?: unknown; again?: unknown };
    const user = req.user as User | undefined;
    if (!user) {
      return formErrors('accounts/login', {
        title: 'Sign in',
        next: safeNext(body.next, ''),
        email: typeof body.email === 'string' ? body.email : '',
        again: body.again === '1',
        error: LOGIN_FAILED,
      });
    }
    await this.accounts.recordLogin(user);
    issueDeviceCookie(res, this.config.sessionSecret, user.email, this.config.isProduction);
    await startSignedInSession(req);
    // Signing in again in a layer over a page (public/recovery.js): the layer closes with who
    // signed in, and its answer is a page whose meta tags carry the new session's CSRF token.
    return done({
      redirectTo: safeNext(body.next),
      acceptWith: {
        value: { userId: user.id },
        view: 'accounts/signed-in',
        locals: { title: 'Signed in', currentUser: user },
      },
    });
  }

  /** The raw response only to clear the session cookie; the result answers. */
  @Post('logout')
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ModalResult> {
    await new Promise<void>((resolve, reject) => req.logout((error) => (error ? reject(error as Error) : resolve())));
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    res.clearCookie(SESSION_COOKIE);
    return redirect('/login');
  }
}
