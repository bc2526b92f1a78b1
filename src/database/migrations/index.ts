import type { Migration } from '../migrator';
import { initialSchema } from './0001-initial-schema';
import { invitationTokenIssuedAt } from './0002-invitation-token-issued-at';
import { ticketBoardIndex } from './0004-ticket-board-index';
import { projectTicketCounts } from './0005-project-ticket-counts';
import { sessionDetails } from './0007-session-details';
import { passwordResets } from './0008-password-resets';
import { ticketAssignees } from './0009-ticket-assignees';
import { ticketComments } from './0010-ticket-comments';
import { ticketActivity } from './0011-ticket-activity';
import { notifications } from './0012-notifications';
import { notificationMail } from './0013-notification-mail';
import { notificationPreferences } from './0014-notification-preferences';
import { invitationProjects } from './0016-invitation-projects';
import { ticketSearch } from './0017-ticket-search';
import { ticketStatusPriorityIndex } from './0018-ticket-status-priority-index';
import { projectCardVersion } from './0019-project-card-version';
import { peopleVersion } from './0020-people-version';
import { commentEditsMoveBoardVersion } from './0021-comment-edits-move-board-version';

/** Every migration, in the order they run. Append new ones; never edit one that has shipped. */
export const migrations: Migration[] = [
  initialSchema,
  invitationTokenIssuedAt,
  ticketBoardIndex,
  projectTicketCounts,
  sessionDetails,
  passwordResets,
  ticketAssignees,
  ticketComments,
  ticketActivity,
  notifications,
  notificationMail,
  notificationPreferences,
  invitationProjects,
  ticketSearch,
  ticketStatusPriorityIndex,
  projectCardVersion,
  peopleVersion,
  commentEditsMoveBoardVersion,
];
