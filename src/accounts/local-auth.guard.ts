import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';

/**
 * Runs passport-local on POST /login. A failed sign-in does not throw: the request goes on
 * without `req.user` and the controller re-renders the form with one generic message.
 * On success passport regenerates the session (new id, nothing carried over) and logs in.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const request = context.switchToHttp().getRequest<Request>();
    if (request.user) await super.logIn(request);
    return true;
  }

  handleRequest<TUser>(error: unknown, user: TUser): TUser {
    if (error instanceof Error) throw error;
    if (error) throw new Error('Sign-in failed');
    return (user || undefined) as TUser;
  }
}
