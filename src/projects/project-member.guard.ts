import { CanActivate, ExecutionContext, Injectable, NotFoundException } from '@nestjs/common';
import type { Request } from 'express';
import type { User } from '../accounts/user.model';
import { ProjectAccessService } from './project-access.service';

/**
 * Global guard for every route with a `:projectId` parameter: members of the project and
 * managers pass, with the project attached to the request; everyone else gets 404, so a
 * project's existence is never revealed. Being global, no project route can forget it.
 */
@Injectable()
export class ProjectMemberGuard implements CanActivate {
  constructor(private readonly access: ProjectAccessService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const projectId = request.params?.projectId;
    if (projectId === undefined) return true;
    const user = request.user as User | undefined;
    const project = user && typeof projectId === 'string' ? await this.access.findAccessible(user, projectId) : null;
    if (!project) throw new NotFoundException();
    request.project = project;
    return true;
  }
}
