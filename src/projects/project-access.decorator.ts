import { SetMetadata } from '@nestjs/common';

export const PROJECT_ACCESS = 'projectAccess';

/** `member`: the project's members and every manager; `manager`: managers only. */
export const PROJECT_ACCESS_LEVELS = ['member', 'manager'] as const;
export type ProjectAccessLevel = (typeof PROJECT_ACCESS_LEVELS)[number];

/**
 * Declares that a route (or every route of a controller) acts on the project of its `:projectId`
 * and who may use it there. ProjectAccessGuard checks it, attaches the project for
 * `@CurrentProject()`, and answers 404 to everyone else. A route with a `:projectId` parameter and
 * no declaration is refused.
 */
export const ProjectAccess = (level: ProjectAccessLevel) => SetMetadata(PROJECT_ACCESS, level);
