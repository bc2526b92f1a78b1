/**
 * The statuses and priorities of a ticket. Here rather than in the tickets module because the
 * projects module, beneath it, keeps a ticket counter per status (migration 0005) and shows them.
 */
export const TICKET_STATUSES = ['OPEN', 'IN_PROGRESS', 'REVIEW', 'DONE'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
