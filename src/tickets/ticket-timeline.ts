import type { PersonRow } from '../accounts/accounts.service';
import type { User } from '../accounts/user.model';
import type { ActivityKind } from '../activity/activity-kinds';
import type { HistoryRow } from '../activity/activity.service';

/** A person as the timeline shows them; `isActive` false marks a deactivated account. */
export interface TimelinePerson {
  id: string;
  email: string;
  name: string;
  avatar: string | null;
  displayName: string;
  isActive: boolean;
}

interface TimelineItem {
  /** Unique in the timeline, for the element's id. */
  key: string;
  actor: TimelinePerson;
  createdAt: Date;
}

export interface TimelineComment extends TimelineItem {
  type: 'comment';
  id: string;
  bodyHtml: string;
  editedAt: Date | null;
  url: string;
  editUrl: string;
  deleteUrl: string;
  canEdit: boolean;
  canDelete: boolean;
}

export interface TimelineHistory extends TimelineItem {
  type: 'history';
  /** What the actor did, after their name ("changed the status from Open to Done"). */
  text: string;
}

export type TimelineEntry = TimelineComment | TimelineHistory;

/** A page of a ticket's timeline: oldest first, and where the entries before it are. */
export interface TimelinePage {
  entries: TimelineEntry[];
  /** The page before this one (a URL that is also a page), or null at the beginning. */
  earlierUrl: string | null;
  /** The element the earlier page replaces, by id. */
  earlierId: string | null;
  /** Where the comment form posts. */
  commentsUrl: string;
}

/**
 * A ticket's comments and history as one timeline, for the details modal. The tickets module
 * renders the modal but sits beneath comments and never imports it: the comments module
 * provides this (see CommentsPortsModule).
 */
export abstract class TicketTimeline {
  /** What the newest page reads of the history (ActivityService.newest): the details modal reads it with the ticket. */
  abstract readonly firstPageHistory: { exceptKinds: ActivityKind[]; limit: number };

  /**
   * The newest page of the ticket's timeline, or the one before `before` (a cursor from
   * `earlierUrl`). A ticket read with its `commentCount` spares the comments' statement when it
   * has none; `read`, what the details statement read already (the history's first page as
   * `firstPageHistory` says, the people with access), spares theirs.
   */
  abstract page(
    ticket: { id: string; projectId: string; commentCount?: number },
    viewer: User,
    before?: string,
    read?: { history: HistoryRow[]; people: PersonRow[] },
  ): Promise<TimelinePage>;
}
