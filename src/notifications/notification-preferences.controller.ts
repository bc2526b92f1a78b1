import { Body, Controller, Get, Post } from '@nestjs/common';
import type { User } from '../accounts/user.model';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { done, formErrors, ModalResult, page } from '../common/unpoly/modal-result';
import type { NotificationKind } from './notification-kinds';
import { NotificationPreferencesService } from './notification-preferences.service';

const VIEW = 'notifications/preferences';
const PATH = '/notifications/preferences';

/** The kinds offered, with what the form calls them. */
const OFFERED: { kind: NotificationKind; label: string }[] = [
  { kind: 'assigned', label: 'A ticket is assigned to me' },
  { kind: 'commented', label: 'Someone comments on a ticket I reported, am assigned to or commented on' },
  { kind: 'status', label: 'The status of a ticket I reported or am assigned to changes' },
  { kind: 'mentioned', label: 'Someone mentions me in a comment' },
];

/** Which notifications come by email (a page that is also a modal, opened from the profile and the inbox). */
@Controller('notifications/preferences')
export class NotificationPreferencesController {
  constructor(private readonly preferences: NotificationPreferencesService) {}

  @Get()
  async show(@CurrentUser() user: User): Promise<ModalResult> {
    return page(VIEW, this.locals(await this.preferences.mailKindsOf(user.id)));
  }

  @Post()
  async save(@CurrentUser() user: User, @Body() body: unknown): Promise<ModalResult> {
    const sent = (body as { mail?: unknown } | undefined)?.mail;
    const values = sent === undefined ? [] : Array.isArray(sent) ? sent : [sent];
    const kinds = values.filter((value): value is NotificationKind => OFFERED.some(({ kind }) => kind === value));
    if (kinds.length !== values.length)
      return formErrors(VIEW, { ...this.locals(kinds), error: 'Choose among the kinds listed here.' });
    // Kinds the form does not offer (mentions) keep what the person had.
    const kept = (await this.preferences.mailKindsOf(user.id)).filter((kind) => !OFFERED.some((o) => o.kind === kind));
    await this.preferences.setMailKinds(user.id, [...kinds, ...kept]);
    const notice = kinds.length ? 'Email preferences saved.' : 'Saved: you will get no notification emails.';
    return done({
      redirectTo: PATH,
      flash: notice,
      inPlace: { view: VIEW, locals: { ...this.locals(kinds), notice } },
    });
  }

  private locals(kinds: NotificationKind[]) {
    return {
      title: 'Email notifications',
      kinds: OFFERED.map(({ kind, label }) => ({ kind, label, checked: kinds.includes(kind) })),
    };
  }
}
