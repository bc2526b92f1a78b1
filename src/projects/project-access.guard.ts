import { CanActivate, ExecutionContext, Injectable, NotFoundException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { User } from '../accounts/user.model';
import { PROJECT_ACCESS, ProjectAccessLevel } from './project-access.decorator';
import { ProjectAccessService } from './project-access.service';

/**
 * Global guard for `@ProjectAccess()`: the project of the URL is attached to the request when the
 * signed-in user has the declared access to it; everyone else gets 404, so a project's existence is
 * never revealed. It denies by default: a route with a `:projectId` parameter that declares no
 * access is closed to everyone, and so is a declaration on a route without that parameter.
 */
@Injectable()
export class ProjectAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: ProjectAccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const level = this.reflector.getAllAndOverride<ProjectAccessLevel | undefined>(PROJECT_ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<Request>();
    const projectId = request.params?.projectId;
    if (level === undefined && projectId === undefined) return true;
    const user = request.user as User | undefined;
    if (level === undefined || !user || typeof projectId !== 'string') throw new NotFoundException();
    if (level === 'manager' && !user.isManager) throw new NotFoundException();
    const project = await this.access.findAccessible(user, projectId);
    if (!project) throw new NotFoundException();
    request.project = project;
    return true;
  }
}
