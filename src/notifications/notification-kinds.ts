/**
 * What a notification tells: the ticket was assigned to the recipient, someone commented on it,
 * its status changed, or the recipient was mentioned in a comment.
 */
export const NOTIFICATION_KINDS = ['assigned', 'commented', 'status', 'mentioned'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
