import { Controller, Get, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../common/decorators/public.decorator';
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
  showLogin(@Req() req: Request, @Res() res: Response, @Query('next') next?: string): void {
    if (req.user) return res.redirect(303, safeNext(next));
    res.render('accounts/login', { title: 'Sign in', next: safeNext(next, ''), email: '' });
  }

  @Public()
  @Post('login')
  @UseGuards(LocalAuthGuard)
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    const body = (req.body ?? {}) as { email?: unknown; next?: unknown };
    const user = req.user as User | undefined;
    if (!user) {
      res.status(422).render('accounts/login', {
        title: 'Sign in',
        next: safeNext(body.next, ''),
        email: typeof body.email === 'string' ? body.email : '',
        error: LOGIN_FAILED,
      });
      return;
    }
    await this.accounts.recordLogin(user);
    issueDeviceCookie(res, this.config.sessionSecret, user.email, this.config.isProduction);
    await startSignedInSession(req);
    res.redirect(303, safeNext(body.next));
  }

  @Post('logout')
  logout(@Req() req: Request, @Res() res: Response): void {
    req.logout((logoutError) => {
      if (logoutError) throw logoutError;
      req.session.destroy(() => {
        res.clearCookie(SESSION_COOKIE);
        res.redirect(303, '/login');
      });
    });
  }
}
