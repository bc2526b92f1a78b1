import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Project } from './project.model';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by ProjectMemberGuard on routes under /projects/:projectId. */
    project?: Project;
  }
}

/** The project of the URL, already checked by ProjectMemberGuard. */
export const CurrentProject = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Project => ctx.switchToHttp().getRequest<Request>().project as Project,
);
