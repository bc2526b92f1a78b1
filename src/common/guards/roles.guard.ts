import { CanActivate, ExecutionContext, Injectable, NotFoundException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role, User } from '../../accounts/user.model';
import { ROLES_KEY } from '../decorators/roles.decorator';

/** Enforces @Roles(). Answers 404 rather than 403 so that manager-only pages stay invisible. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles?.length) return true;
    const user = context.switchToHttp().getRequest<Request>().user as User | undefined;
    if (user && roles.includes(user.role)) return true;
    throw new NotFoundException();
  }
}
