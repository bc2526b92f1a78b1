/**
 * NotificationsService.unreadCount as a scalar subquery, for a statement that reads it with the
 * signed-in person (the hot paths): `userId` is the SQL expression of the person's id.
 */
export const unreadCountSql = (userId: string) =>
  `(SELECT COUNT(*) FROM notifications n WHERE n.recipient_id = ${userId} AND n.read_at IS NULL)`;
