import { Controller, Get, Inject, Param, Post } from '@nestjs/common';
import { Public } from '../common/decorators/public.decorator';
import { formErrors, ModalResult, page } from '../common/unpoly/modal-result';
import { AppConfig } from '../config/app-config';
import type { NotificationKind } from './notification-kinds';
import { NotificationPreferencesService } from './notification-preferences.service';
import { readUnsubscribeToken } from './unsubscribe-token';

const VIEW = 'notifications/unsubscribe';

/** Where the mail calls the kinds (for "no more email about ..."). */
const KIND_WORDS: Record<NotificationKind, string> = {
  assigned: 'tickets assigned to you',
  commented: 'comments',
  status: 'status changes',
  mentioned: 'mentions of you',
};

/**
 * The one-click unsubscribe link of notification mail (RFC 8058), authenticated by its signed
 * token alone: no session. A GET only shows a confirmation; the POST (the page's button, or the
 * mail client's `List-Unsubscribe=One-Click`) stops those kinds of mail. The POST is the one
 * route exempt from CSRF (app.setup.ts, UNSUBSCRIBE_PATH): mail clients send no token, and the
 * signed token in the URL is what a forged request could not supply.
 */
@Public()
@Controller('unsubscribe')
export class UnsubscribeController {
  constructor(
    private readonly preferences: NotificationPreferencesService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get(':token')
  confirm(@Param('token') token: string): ModalResult {
    const asked = readUnsubscribeToken(token, this.config.sessionSecret);
    if (!asked) return formErrors(VIEW, { title: 'Unsubscribe', invalid: true });
    return page(VIEW, { title: 'Unsubscribe', action: `/unsubscribe/${token}`, kindsText: this.words(asked.kinds) });
  }

  @Post(':token')
  async unsubscribe(@Param('token') token: string): Promise<ModalResult> {
    const asked = readUnsubscribeToken(token, this.config.sessionSecret);
    if (!asked) return formErrors(VIEW, { title: 'Unsubscribe', invalid: true });
    await this.preferences.stopMailKinds(asked.userId, asked.kinds);
    return page(VIEW, { title: 'Unsubscribed', done: true, kindsText: this.words(asked.kinds) });
  }

  private words(kinds: NotificationKind[]): string {
    return kinds.map((kind) => KIND_WORDS[kind]).join(', ') || 'notifications';
  }
}
