import { SetMetadata } from '@nestjs/common';
import type { Role } from '../../accounts/user.model';

export const ROLES_KEY = 'roles';

/** Restricts a route or controller to the given roles; everyone else gets a 404. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
