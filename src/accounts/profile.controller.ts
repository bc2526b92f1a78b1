import { Body, Controller, Delete, Get, Patch, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormErrors, validateForm } from '../common/forms/validate-form';
import { Unpoly } from '../common/unpoly/unpoly';
import { Up } from '../common/unpoly/up.decorator';
import { flash } from '../common/views/flash';
import { AvatarRejected } from './avatar-storage';
import { readAvatarUpload } from './avatar-upload';
import { ProfileDto } from './dto/profile.dto';
import { ProfileService } from './profile.service';
import type { User } from './user.model';

export const PROFILE_CHANGED = 'profile:changed';

interface ProfileView {
  values?: Record<string, unknown>;
  errors?: FormErrors;
  notice?: string;
}

/** The signed-in person's own profile (a modal opened from the navbar, and a page). */
@Controller('profile')
export class ProfileController {
  constructor(private readonly profiles: ProfileService) {}

  @Get()
  show(@CurrentUser() user: User, @Res() res: Response): void {
    render(res, user, 200);
  }

  @Patch()
  async update(
    @CurrentUser() user: User,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
    @Up() up: Unpoly,
  ): Promise<void> {
    const form = await validateForm(ProfileDto, body);
    if (!form.ok) return render(res, user, 422, { values: form.input, errors: form.errors });
    const errors = await this.profiles.update(user, form.value, req.sessionID);
    if (errors) return render(res, user, 422, { values: { name: form.value.name }, errors });
    if (!up.inOverlay)
      flash(
        req,
        'success',
        form.value.wantsPasswordChange ? 'Your profile and password are saved.' : 'Your profile is saved.',
      );
    up.finish('/profile', PROFILE_CHANGED);
  }

  @Post('avatar')
  async uploadAvatar(
    @CurrentUser() user: User,
    @Req() req: Request,
    @Res() res: Response,
    @Up() up: Unpoly,
  ): Promise<void> {
    const upload = await readAvatarUpload(req, res);
    if (!upload.ok) return render(res, user, 422, { errors: { avatar: upload.message } });
    if (!upload.content) return render(res, user, 422, { errors: { avatar: 'Choose an image file first.' } });
    try {
      await this.profiles.replaceAvatar(user, upload.content);
    } catch (error) {
      if (error instanceof AvatarRejected)
        return render(res, user, error.status, { errors: { avatar: error.message } });
      throw error;
    }
    avatarChanged(req, res, up, user, 'Your new avatar is saved.');
  }

  @Delete('avatar')
  async removeAvatar(
    @CurrentUser() user: User,
    @Req() req: Request,
    @Res() res: Response,
    @Up() up: Unpoly,
  ): Promise<void> {
    await this.profiles.removeAvatar(user);
    avatarChanged(req, res, up, user, 'Your avatar is removed.');
  }
}

/** The modal stays open on the new avatar while the navbar beneath refreshes itself. */
function avatarChanged(req: Request, res: Response, up: Unpoly, user: User, notice: string): void {
  up.emit(PROFILE_CHANGED);
  if (up.inOverlay) return render(res, user, 200, { notice });
  flash(req, 'success', notice);
  res.redirect(303, '/profile');
}

function render(res: Response, user: User, status: number, view: ProfileView = {}): void {
  res.status(status).render('accounts/profile', {
    title: 'Your profile',
    user,
    values: view.values ?? { name: user.name },
    errors: view.errors ?? {},
    notice: view.notice,
  });
}
