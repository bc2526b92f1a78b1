import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Project } from './project.model';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by ProjectAccessGuard on routes marked @ProjectAccess(). */
    project?: Project;
  }
}

/** The project of the URL, already checked by ProjectAccessGuard (the route needs @ProjectAccess()). */
export const CurrentProject = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Project => ctx.switchToHttp().getRequest<Request>().project as Project,
);
