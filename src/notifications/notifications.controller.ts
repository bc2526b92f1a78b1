import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import type { User } from '../accounts/user.model';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { InvalidInput } from '../common/errors';
import { APP_EVENTS } from '../common/unpoly/app-events';
import { done, ModalResult, page } from '../common/unpoly/modal-result';
import { formatInboxCursor, parseInboxCursor } from './inbox-cursor';
import { inboxEntry, nextCursor } from './inbox-view';
import { NotificationsService } from './notifications.service';

export const INBOX_PAGE_SIZE = 25;
const INBOX = '/notifications';

/** The inbox: a page that is also a modal (the navbar's bell), newest first, by keyset pages. */
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  async index(@CurrentUser() user: User, @Query('before') before: unknown): Promise<ModalResult> {
    return page('notifications/index', await this.inbox(user, before));
  }

  @Post('read')
  async markAllRead(@CurrentUser() user: User, @Body() body: unknown): Promise<ModalResult> {
    const upTo = (body as { upTo?: unknown } | undefined)?.upTo;
    const until =
      upTo === undefined || upTo === '' ? undefined : typeof upTo === 'string' ? parseInboxCursor(upTo) : null;
    if (until === null) throw new InvalidInput({ upTo: 'not-an-inbox-cursor' });
    const count = await this.notifications.markAllRead(user.id, until?.at);
    return this.answer(
      user,
      count === 1 ? 'One notification marked as read.' : `${count} notifications marked as read.`,
    );
  }

  @Post(':notificationId/read')
  async markRead(@CurrentUser() user: User, @Param('notificationId') id: string): Promise<ModalResult> {
    await this.notifications.markRead(user.id, id);
    return this.answer(user, 'Marked as read.');
  }

  /** The first page of the inbox again, in place (the modal stays open), with the acknowledgement. */
  private async answer(user: User, notice: string): Promise<ModalResult> {
    return done({
      redirectTo: INBOX,
      events: [APP_EVENTS.notificationsChanged],
      flash: notice,
      inPlace: { view: 'notifications/index', locals: { ...(await this.inbox(user, undefined)), notice } },
    });
  }

  private async inbox(user: User, before: unknown) {
    const cursor = before === undefined ? undefined : typeof before === 'string' ? parseInboxCursor(before) : null;
    if (cursor === null) throw new InvalidInput({ before: 'not-an-inbox-cursor' });
    const { notifications, more } = await this.notifications.inbox(user.id, { before: cursor, limit: INBOX_PAGE_SIZE });
    const entries = notifications.map(inboxEntry);
    const newest = notifications[0];
    return {
      title: 'Notifications',
      entries,
      older: nextCursor(notifications, more),
      isFirstPage: !cursor,
      anyUnread: entries.some((entry) => entry.unread),
      // Mark all read up to the newest shown: one that arrives meanwhile stays unread.
      upTo: newest ? formatInboxCursor(newest.createdAt, newest.id) : '',
    };
  }
}
