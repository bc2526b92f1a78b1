import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { Op, WhereOptions } from 'sequelize';
import type { User } from '../accounts/user.model';
import type { PersonRow } from '../accounts/accounts.service';
import { ActivityKind, describeActivity, PeopleNames } from '../activity/activity-kinds';
import { NewestFirstCursor, olderThan } from '../common/keyset';
import { Mentionable, mentionableAmong } from '../common/mentions';
import { MembershipsService } from '../projects/memberships.service';
import { ActivityService, HistoryCursor, HistoryRow } from '../activity/activity.service';
import { TicketTimeline, TimelineEntry, TimelinePage } from '../tickets/ticket-timeline';
import { Comment } from './comment.model';
import { commentEntry, commentsPath, timelinePerson } from './comment-view';
import { AUTHOR_ATTRIBUTES } from './comments.service';
import {
  COMMENT_RANK,
  compareNewestFirst,
  formatCursor,
  HISTORY_RANK,
  parseCursor,
  TimelineCursor,
} from './timeline-cursor';

/** History entries the timeline leaves out: the comment itself stands for them. */
const COMMENTED: ActivityKind = 'commented';

/** Entries per page of the timeline. */
export const TIMELINE_PAGE_SIZE = 30;

/** Where a page of comments ends (ids are UUIDs, ordered as text). */
type CommentsCursor = NewestFirstCursor<string>;

type Item = { cursor: TimelineCursor } & ({ comment: Comment } | { history: HistoryRow });

/**
 * A ticket's comments and history as one timeline, a page at a time: the newest page of each
 * table (two statements, whatever their sizes), merged by time. "Commented" entries are left out
 * of the history: the comment itself stands for them.
 */
@Injectable()
export class CommentsTimeline extends TicketTimeline {
  constructor(
    @InjectModel(Comment) private readonly comments: typeof Comment,
    private readonly activity: ActivityService,
    private readonly memberships: MembershipsService,
  ) {
    super();
  }

  readonly firstPageHistory = { exceptKinds: [COMMENTED], limit: TIMELINE_PAGE_SIZE + 1 };

  async page(
    ticket: { id: string; projectId: string; commentCount?: number },
    viewer: User,
    before?: string,
    read?: { history: HistoryRow[]; people: PersonRow[] },
  ): Promise<TimelinePage> {
    const cursor = before === undefined ? undefined : (parseCursor(before) ?? undefined);
    const limit = TIMELINE_PAGE_SIZE + 1;
    const historyRead = cursor ? undefined : read?.history;
    const [comments, history] = await Promise.all([
      // Most tickets have no comments: their count (kept with each comment's write) says so.
      ticket.commentCount === 0
        ? []
        : this.newestComments(ticket.id, { before: cursor && this.commentsBefore(cursor), limit }),
      historyRead ??
        this.activity.newest(ticket.id, {
          before: cursor && this.historyBefore(cursor),
          limit,
          exceptKinds: [COMMENTED],
        }),
    ]);
    const items: Item[] = [
      ...comments.map((comment) => ({
        comment,
        cursor: { at: comment.createdAt, rank: COMMENT_RANK, id: comment.id },
      })),
      ...history.map((entry) => ({
        history: entry,
        cursor: { at: entry.createdAt, rank: HISTORY_RANK, id: String(entry.id) },
      })),
    ].sort((a, b) => compareNewestFirst(a.cursor, b.cursor));
    const shown = items.slice(0, TIMELINE_PAGE_SIZE);
    const [people, mentionable] = await Promise.all([
      this.activity.peopleNamedIn(
        shown.flatMap((item) => ('history' in item ? [item.history] : [])),
        read?.people,
      ),
      this.mentionable(ticket.projectId, shown, read?.people),
    ]);
    const earlier = items.length > TIMELINE_PAGE_SIZE ? formatCursor(shown[shown.length - 1].cursor) : null;
    return {
      entries: shown.reverse().map((item) => this.entryOf(ticket, item, viewer, people, mentionable)),
      earlierUrl: earlier ? `${commentsPath(ticket)}?before=${earlier}` : null,
      earlierId: earlier ? `timeline-earlier-${earlier}` : null,
      commentsUrl: commentsPath(ticket),
    };
  }

  private entryOf(
    ticket: { id: string; projectId: string },
    item: Item,
    viewer: User,
    people: PeopleNames,
    mentionable: Mentionable,
  ): TimelineEntry {
    if ('comment' in item) return commentEntry(ticket, item.comment, viewer, mentionable);
    const entry = item.history;
    return {
      type: 'history',
      key: `history-${entry.id}`,
      actor: timelinePerson(entry.actor),
      createdAt: entry.createdAt,
      text: describeActivity(entry, people),
    };
  }

  /** Who the page's comments can mention: one statement, none when no comment has an `@` or when `known` (read already). */
  private async mentionable(projectId: string, shown: Item[], known?: PersonRow[]): Promise<Mentionable> {
    if (!shown.some((item) => 'comment' in item && item.comment.body.includes('@'))) return new Map();
    return mentionableAmong(known ?? (await this.memberships.peopleWithAccess(projectId)));
  }

  /** Up to `limit` of a ticket's newest comments before `before`, newest first, with their authors: one statement. */
  private newestComments(ticketId: string, options: { before?: CommentsCursor; limit: number }): Promise<Comment[]> {
    const conditions: WhereOptions[] = [{ ticketId }];
    if (options.before) conditions.push(olderThan(options.before));
    return this.comments.findAll({
      where: { [Op.and]: conditions },
      include: [{ association: 'author', attributes: AUTHOR_ATTRIBUTES }],
      order: [
        ['createdAt', 'DESC'],
        ['id', 'DESC'],
      ],
      limit: options.limit,
    });
  }

  /** Comments rank above history entries of the same millisecond. */
  private commentsBefore(cursor: TimelineCursor): CommentsCursor {
    return { at: cursor.at, sameTime: cursor.rank === COMMENT_RANK ? { idBelow: cursor.id } : 'exclude' };
  }

  private historyBefore(cursor: TimelineCursor): HistoryCursor {
    return { at: cursor.at, sameTime: cursor.rank === HISTORY_RANK ? { idBelow: Number(cursor.id) } : 'include' };
  }
}
