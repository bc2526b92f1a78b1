import { Body, Controller, Delete, Get, Param, Patch, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { InvalidInput, InvalidReason } from '../common/errors';
import { FormErrors, validateForm } from '../common/forms/validate-form';
import { APP_EVENTS } from '../common/unpoly/app-events';
import { done, formErrors, ModalResult, page } from '../common/unpoly/modal-result';
import { AvatarRejected } from './avatar-storage';
import { readAvatarUpload } from './avatar-upload';
import { ProfileDto } from './dto/profile.dto';
import { MIN_PASSWORD_LENGTH } from './passwords';
import { MAX_PASSWORD_LENGTH } from './passwords';
import { ProfileService } from './profile.service';
import { keepSignedIn } from './session-settings';
import type { User } from './user.model';

const VIEW = 'accounts/profile';

const PASSWORD_WORDING: Partial<Record<InvalidReason, string>> = {
  'password-too-short': `Use at least ${MIN_PASSWORD_LENGTH} characters.`,
  'password-too-long': `Use at most ${MAX_PASSWORD_LENGTH} characters.`,
  'passwords-differ': 'The two new passwords do not match.',
  'wrong-password': 'Your current password is not correct.',
};

/** The parts of the profile whose forms keep the modal open: a notice shows in its own part. */
type NoticeSection = 'avatar' | 'sessions';

interface ProfileView {
  values?: Record<string, unknown>;
  errors?: FormErrors;
  notice?: string;
  noticeFor?: NoticeSection;
}

/** The signed-in person's own profile (a modal opened from the navbar, and a page), with their sessions. */
@Controller('profile')
export class ProfileController {
  constructor(private readonly profiles: ProfileService) {}

  @Get()
  async show(@CurrentUser() user: User, @Req() req: Request): Promise<ModalResult> {
    return page(VIEW, await this.locals(req, user));
  }

  @Patch()
  async update(@CurrentUser() user: User, @Body() body: unknown, @Req() req: Request): Promise<ModalResult> {
    const form = await validateForm(ProfileDto, body);
    if (!form.ok) return formErrors(VIEW, await this.locals(req, user, { values: form.input, errors: form.errors }));
    try {
      await this.profiles.update(user, form.value, req.sessionID);
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      const errors = Object.fromEntries(
        Object.entries(error.problems).map(([field, reason]) => [field, PASSWORD_WORDING[reason] ?? '']),
      );
      return formErrors(VIEW, await this.locals(req, user, { values: { name: form.value.name }, errors }));
    }
    if (form.value.wantsPasswordChange) await keepSignedIn(req, user);
    return done({
      redirectTo: '/profile',
      events: [APP_EVENTS.profileChanged],
      flash: form.value.wantsPasswordChange ? 'Your profile and password are saved.' : 'Your profile is saved.',
    });
  }

  /** Multer reads the multipart body itself and needs the raw response for that; Nest still answers. */
  @Post('avatar')
  async uploadAvatar(
    @CurrentUser() user: User,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ModalResult> {
    const upload = await readAvatarUpload(req, res);
    const refuse = async (message: string, status = 422) =>
      page(VIEW, await this.locals(req, user, { errors: { avatar: message } }), { status });
    if (!upload.ok) return refuse(upload.message);
    if (!upload.content) return refuse('Choose an image file first.');
    try {
      await this.profiles.replaceAvatar(user, upload.content);
    } catch (error) {
      if (error instanceof AvatarRejected) return refuse(error.message, error.status);
      throw error;
    }
    return this.changed(req, user, 'Your new avatar is saved.', 'avatar');
  }

  @Delete('avatar')
  async removeAvatar(@CurrentUser() user: User, @Req() req: Request): Promise<ModalResult> {
    await this.profiles.removeAvatar(user);
    return this.changed(req, user, 'Your avatar is removed.', 'avatar');
  }

  @Delete('sessions/:sessionId')
  async endSession(
    @CurrentUser() user: User,
    @Param('sessionId') handle: string,
    @Req() req: Request,
  ): Promise<ModalResult> {
    await this.profiles.endSession(user, handle);
    return this.changed(req, user, 'That session is signed out.', 'sessions');
  }

  @Delete('sessions')
  async endOtherSessions(@CurrentUser() user: User, @Req() req: Request): Promise<ModalResult> {
    await keepSignedIn(req, await this.profiles.endOtherSessions(user, req.sessionID));
    return this.changed(req, user, 'You are signed out everywhere else.', 'sessions');
  }

  /**
   * The modal stays open on the changed profile while the navbar beneath refreshes itself; the
   * notice shows in the section that changed (the only part its form replaces).
   */
  private async changed(req: Request, user: User, notice: string, noticeFor: NoticeSection): Promise<ModalResult> {
    return done({
      redirectTo: '/profile',
      events: [APP_EVENTS.profileChanged],
      flash: notice,
      inPlace: { view: VIEW, locals: await this.locals(req, user, { notice, noticeFor }) },
    });
  }

  private async locals(req: Request, user: User, view: ProfileView = {}) {
    const sessions = await this.profiles.listSessions(user, req.sessionID);
    return {
      title: 'Your profile',
      user,
      values: view.values ?? { name: user.name },
      errors: view.errors ?? {},
      notice: view.notice,
      noticeFor: view.noticeFor,
      sessions,
      hasOtherSessions: sessions.some((session) => !session.current),
    };
  }
}
