import { Body, Controller, Get, Param, Patch, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { validateForm } from '../common/forms/validate-form';
import { Unpoly } from '../common/unpoly/unpoly';
import { Up } from '../common/unpoly/up.decorator';
import { RoleDto } from './dto/role.dto';
import { PasswordResetsService } from './password-resets.service';
import { PROFILE_CHANGED } from './profile.controller';
import { ROLES, User } from './user.model';
import { UserAdminRefused, UsersService } from './users.service';

export const USERS_CHANGED = 'users:changed';

/** User administration: the list of people and, in modals, role, deactivation and reactivation. */
@Controller('users')
@Roles('MANAGER')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly resets: PasswordResetsService,
  ) {}

  @Get()
  async index(@Res() res: Response): Promise<void> {
    res.render('users/index', { title: 'People', people: await this.users.listWithProjects() });
  }

  @Get(':userId/role')
  async editRole(@Param('userId') userId: string, @Res() res: Response): Promise<void> {
    const person = await this.users.findById(userId);
    renderRole(res, 200, person, { role: person.role });
  }

  @Patch(':userId/role')
  async updateRole(
    @Param('userId') userId: string,
    @Body() body: unknown,
    @CurrentUser() me: User,
    @Res() res: Response,
    @Up() up: Unpoly,
  ): Promise<void> {
    const person = await this.users.findById(userId);
    const form = await validateForm(RoleDto, body);
    if (!form.ok) return renderRole(res, 422, person, form.input, form.errors);
    try {
      await this.users.changeRole(person.id, form.value.role);
    } catch (error) {
      if (error instanceof UserAdminRefused)
        return renderRole(res, 422, person, { role: form.value.role }, { role: error.message });
      throw error;
    }
    // A manager who gave up the role can no longer see this list.
    const demotedMyself = person.id === me.id && form.value.role !== 'MANAGER';
    up.finish(demotedMyself ? '/' : '/users', USERS_CHANGED, ...(demotedMyself ? [PROFILE_CHANGED] : []));
  }

  @Get(':userId/deactivate')
  async confirmDeactivate(@Param('userId') userId: string, @Res() res: Response): Promise<void> {
    renderConfirm(res, 200, await this.users.findById(userId), 'deactivate');
  }

  @Post(':userId/deactivate')
  async deactivate(
    @Param('userId') userId: string,
    @CurrentUser() me: User,
    @Res() res: Response,
    @Up() up: Unpoly,
  ): Promise<void> {
    const person = await this.users.findById(userId);
    try {
      await this.users.deactivate(person.id, me.id);
    } catch (error) {
      if (error instanceof UserAdminRefused) return renderConfirm(res, 422, person, 'deactivate', error.message);
      throw error;
    }
    up.finish('/users', USERS_CHANGED);
  }

  @Get(':userId/reactivate')
  async confirmReactivate(@Param('userId') userId: string, @Res() res: Response): Promise<void> {
    renderConfirm(res, 200, await this.users.findById(userId), 'reactivate');
  }

  @Post(':userId/reactivate')
  async reactivate(@Param('userId') userId: string, @Res() res: Response, @Up() up: Unpoly): Promise<void> {
    await this.users.reactivate((await this.users.findById(userId)).id);
    up.finish('/users', USERS_CHANGED);
  }

  @Get(':userId/reset-link')
  async confirmResetLink(@Param('userId') userId: string, @Res() res: Response): Promise<void> {
    renderResetLink(res, 200, await this.users.findById(userId));
  }

  /** The link is in this response only: never cached, never shown again. */
  @Post(':userId/reset-link')
  async createResetLink(@Param('userId') userId: string, @CurrentUser() me: User, @Res() res: Response): Promise<void> {
    const person = await this.users.findById(userId);
    const outcome = await this.resets.handOut(person, me);
    if (outcome.kind === 'inactive') {
      const error = `${person.displayName} is deactivated. Reactivate the account first: a password reset never does.`;
      return renderResetLink(res, 409, person, { error });
    }
    renderResetLink(res, 200, person, outcome);
  }
}

function renderResetLink(
  res: Response,
  status: number,
  person: User,
  details: { link?: string; expiresAt?: Date; mailQueued?: boolean; error?: string } = {},
): void {
  const title = `Password reset link for ${person.displayName}`;
  res
    .status(status)
    .render('users/reset-link', { title, person, ...details, mailDelayed: details.mailQueued === false });
}

function renderRole(
  res: Response,
  status: number,
  person: User,
  values: Record<string, unknown>,
  errors: Record<string, string> = {},
): void {
  res
    .status(status)
    .render('users/role', { title: `Role of ${person.displayName}`, person, values, errors, roles: ROLES });
}

function renderConfirm(
  res: Response,
  status: number,
  person: User,
  action: 'deactivate' | 'reactivate',
  error?: string,
): void {
  const title = `${action === 'deactivate' ? 'Deactivate' : 'Reactivate'} ${person.displayName}`;
  res.status(status).render('users/confirm', { title, person, action, isDeactivate: action === 'deactivate', error });
}
