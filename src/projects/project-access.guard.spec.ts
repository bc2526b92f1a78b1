import { Controller, ExecutionContext, Get, NotFoundException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { User } from '../accounts/user.model';
import { ProjectAccess } from './project-access.decorator';
import { ProjectAccessGuard } from './project-access.guard';
import type { ProjectAccessService } from './project-access.service';
import type { Project } from './project.model';

@Controller('projects/:projectId')
class Undeclared {
  @Get()
  show() {}
}

@Controller('projects/:projectId/things')
@ProjectAccess('member')
class ForMembers {
  @Get()
  list() {}

  @Get('admin')
  @ProjectAccess('manager')
  admin() {}
}

@Controller('elsewhere')
class Elsewhere {
  @Get()
  show() {}
}

const PROJECT = { id: 'a6c5f9f2-5a3f-4b53-9d0e-1f7d0cc0b3c1' } as Project;
const member = { id: 'member', isManager: false } as User;
const manager = { id: 'manager', isManager: true } as User;

function contextFor(
  controller: abstract new () => object,
  handlerName: string,
  request: Record<string, unknown>,
): ExecutionContext {
  return {
    getHandler: () => (controller.prototype as Record<string, unknown>)[handlerName],
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('ProjectAccessGuard', () => {
  const findAccessible = jest.fn((user: User) => Promise.resolve(user === member || user.isManager ? PROJECT : null));
  const guard = new ProjectAccessGuard(new Reflector(), { findAccessible } as unknown as ProjectAccessService);
  const params = { projectId: PROJECT.id };

  it('refuses a route with a :projectId parameter that declares no access, whoever asks', async () => {
    for (const user of [member, manager]) {
      const request = { params, user };
      await expect(guard.canActivate(contextFor(Undeclared, 'show', request))).rejects.toThrow(NotFoundException);
      expect(request).not.toHaveProperty('project');
    }
  });

  it('lets routes outside projects through untouched', async () => {
    await expect(guard.canActivate(contextFor(Elsewhere, 'show', { params: {}, user: member }))).resolves.toBe(true);
  });

  it('attaches the project for members and managers where the controller declares member access', async () => {
    for (const user of [member, manager]) {
      const request: Record<string, unknown> = { params, user };
      await expect(guard.canActivate(contextFor(ForMembers, 'list', request))).resolves.toBe(true);
      expect(request.project).toBe(PROJECT);
    }
    const stranger = { id: 'stranger', isManager: false } as User;
    await expect(guard.canActivate(contextFor(ForMembers, 'list', { params, user: stranger }))).rejects.toThrow(
      NotFoundException,
    );
  });

  it('lets the handler raise the level to managers only', async () => {
    await expect(guard.canActivate(contextFor(ForMembers, 'admin', { params, user: member }))).rejects.toThrow(
      NotFoundException,
    );
    await expect(guard.canActivate(contextFor(ForMembers, 'admin', { params, user: manager }))).resolves.toBe(true);
  });

  it('refuses a declaration on a route without the parameter', async () => {
    await expect(guard.canActivate(contextFor(ForMembers, 'list', { params: {}, user: manager }))).rejects.toThrow(
      NotFoundException,
    );
  });
});
