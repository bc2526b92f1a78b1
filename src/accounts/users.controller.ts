import { Body, Controller, Get, Header, Param, Patch, Post, Render } from '@nestjs/common';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { NotAllowed, wordingOf } from '../common/errors';
import { validateForm } from '../common/forms/validate-form';
import { APP_EVENTS } from '../common/unpoly/app-events';
import { done, formErrors, ModalResult, page } from '../common/unpoly/modal-result';
import { RoleDto } from './dto/role.dto';
import { PasswordResetsService } from './password-resets.service';
import { ROLES, User } from './user.model';
import { UsersService } from './users.service';

type Action = 'deactivate' | 'reactivate';

/** User administration: the list of people and, in modals, role, deactivation and reactivation. */
@Controller('users')
@Roles('MANAGER')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly resets: PasswordResetsService,
  ) {}

  @Get()
  @Render('users/index')
  async index() {
    return { title: 'People', people: await this.users.listWithProjects() };
  }

  @Get(':userId/role')
  @Render('users/role')
  async editRole(@Param('userId') userId: string) {
    const person = await this.users.findById(userId);
    return roleLocals(person, { role: person.role });
  }

  @Patch(':userId/role')
  async updateRole(
    @Param('userId') userId: string,
    @Body() body: unknown,
    @CurrentUser() me: User,
  ): Promise<ModalResult> {
    const person = await this.users.findById(userId);
    const form = await validateForm(RoleDto, body);
    if (!form.ok) return formErrors('users/role', roleLocals(person, form.input, form.errors));
    try {
      await this.users.changeRole(person.id, form.value.role);
    } catch (error) {
      if (error instanceof NotAllowed)
        return formErrors('users/role', roleLocals(person, { role: form.value.role }, { role: wordingOf(error) }));
      throw error;
    }
    const saved = `${person.name} is now ${form.value.role === 'MANAGER' ? 'a manager' : 'a member'}.`;
    // A manager who gave up the role can no longer see this list.
    const demotedMyself = person.id === me.id && form.value.role !== 'MANAGER';
    return demotedMyself
      ? done({ redirectTo: '/', events: [APP_EVENTS.usersChanged, APP_EVENTS.profileChanged], flash: saved })
      : done({ redirectTo: '/users', events: [APP_EVENTS.usersChanged], flash: saved });
  }

  @Get(':userId/deactivate')
  @Render('users/confirm')
  async confirmDeactivate(@Param('userId') userId: string) {
    return confirmLocals(await this.users.findById(userId), 'deactivate');
  }

  @Post(':userId/deactivate')
  async deactivate(@Param('userId') userId: string, @CurrentUser() me: User): Promise<ModalResult> {
    const person = await this.users.findById(userId);
    try {
      await this.users.deactivate(person.id, me.id);
    } catch (error) {
      if (error instanceof NotAllowed)
        return formErrors('users/confirm', confirmLocals(person, 'deactivate', wordingOf(error)));
      throw error;
    }
    return done({ redirectTo: '/users', events: [APP_EVENTS.usersChanged], flash: `${person.name} was deactivated.` });
  }

  @Get(':userId/reactivate')
  @Render('users/confirm')
  async confirmReactivate(@Param('userId') userId: string) {
    return confirmLocals(await this.users.findById(userId), 'reactivate');
  }

  @Post(':userId/reactivate')
  async reactivate(@Param('userId') userId: string): Promise<ModalResult> {
    const person = await this.users.findById(userId);
    await this.users.reactivate(person.id);
    return done({ redirectTo: '/users', events: [APP_EVENTS.usersChanged], flash: `${person.name} was reactivated.` });
  }

  @Get(':userId/reset-link')
  async confirmResetLink(@Param('userId') userId: string): Promise<ModalResult> {
    return page(RESET_LINK_VIEW, resetLinkLocals(await this.users.findById(userId)));
  }

  /** The link is in this response only: never cached, never shown again. */
  @Post(':userId/reset-link')
  @Header('Cache-Control', 'no-store')
  async createResetLink(@Param('userId') userId: string, @CurrentUser() me: User): Promise<ModalResult> {
    const person = await this.users.findById(userId);
    const outcome = await this.resets.handOut(person, me);
    if (outcome.kind === 'inactive') {
      const error = `${person.displayName} is deactivated. Reactivate the account first: a password reset never does.`;
      return formErrors(RESET_LINK_VIEW, resetLinkLocals(person, { error }), 409);
    }
    return page(RESET_LINK_VIEW, resetLinkLocals(person, outcome));
  }
}

const RESET_LINK_VIEW = 'users/reset-link';

function resetLinkLocals(
  person: User,
  details: { link?: string; expiresAt?: Date; mailQueued?: boolean; error?: string } = {},
) {
  const title = `Password reset link for ${person.displayName}`;
  return { title, person, ...details, mailDelayed: details.mailQueued === false };
}

function roleLocals(person: User, values: Record<string, unknown>, errors: Record<string, string> = {}) {
  return { title: `Role of ${person.displayName}`, person, values, errors, roles: ROLES };
}

function confirmLocals(person: User, action: Action, error?: string) {
  const title = `${action === 'deactivate' ? 'Deactivate' : 'Reactivate'} ${person.displayName}`;
  return { title, person, action, isDeactivate: action === 'deactivate', error };
}
