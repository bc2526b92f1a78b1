import { Controller, Get, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../common/decorators/public.decorator';
import { formErrors, ModalResult, page, redirect } from '../common/unpoly/modal-result';
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
  showLogin(@Req() req: Request, @Query('next') next?: string): ModalResult {
    if (req.user) return redirect(safeNext(next));
    return page('accounts/login', { title: 'Sign in', next: safeNext(next, ''), email: '' });
  }

  @Public()
  @Post('login')
  @UseGuards(LocalAuthGuard)
  async login(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ModalResult> {
    const body = (req.body ?? {}) as { email?: unknown; next?: unknown };
    const user = req.user as User | undefined;
    if (!user) {
      return formErrors('accounts/login', {
        title: 'Sign in',
        next: safeNext(body.next, ''),
        email: typeof body.email === 'string' ? body.email : '',
        error: LOGIN_FAILED,
      });
    }
    await this.accounts.recordLogin(user);
    issueDeviceCookie(res, this.config.sessionSecret, user.email, this.config.isProduction);
    await startSignedInSession(req);
    return redirect(safeNext(body.next));
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
