import type { ModelCtor } from 'sequelize-typescript';
import { PasswordReset } from '../accounts/password-reset.model';
import { TicketActivity } from '../activity/ticket-activity.model';
import { Comment } from '../comments/comment.model';
import { Session } from '../accounts/session.model';
import { User } from '../accounts/user.model';
import { Notification } from '../notifications/notification.model';
import { NotificationPreference } from '../notifications/notification-preference.model';
import { Invitation } from '../invitations/invitation.model';
import { InvitationProject } from '../invitations/invitation-project.model';
import { ProjectMember } from '../projects/project-member.model';
import { Project } from '../projects/project.model';
import { Ticket } from '../tickets/ticket.model';

/** Every model, registered once on the connection. */
export const MODELS: ModelCtor[] = [
  User,
  Session,
  Project,
  ProjectMember,
  Invitation,
  InvitationProject,
  Ticket,
  PasswordReset,
  Comment,
  TicketActivity,
  Notification,
  NotificationPreference,
];
