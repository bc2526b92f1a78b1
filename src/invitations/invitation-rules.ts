import { Op, WhereOptions } from 'sequelize';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A pending mail older than this is handed to the queue again by the sweep. */
export const SWEEP_AFTER_MS = 60_000;
/** A manager may resend one invitation at most once per this interval. */
export const RESEND_COOLDOWN_MS = 60_000;

export type InvitationState = 'queued' | 'sent' | 'failed' | 'expired' | 'revoked' | 'used';

export interface InvitationFacts {
  isUsed: boolean;
  revokedAt: Date | null;
  expiresAt: Date;
  sentAt: Date | null;
  sendError: string | null;
}

export function expiryFrom(now: Date, ttlHours: number): Date {
  return new Date(now.getTime() + ttlHours * HOUR_MS);
}

export function isExpired(invitation: Pick<InvitationFacts, 'expiresAt'>, now: Date): boolean {
  return invitation.expiresAt.getTime() <= now.getTime();
}

/** What a manager sees in the list; the first that applies wins. */
export function invitationState(invitation: InvitationFacts, now: Date): InvitationState {
  if (invitation.isUsed) return 'used';
  if (invitation.revokedAt) return 'revoked';
  if (isExpired(invitation, now)) return 'expired';
  if (invitation.sentAt) return 'sent';
  if (invitation.sendError) return 'failed';
  return 'queued';
}

/** Milliseconds until a resend is allowed again (0: now). */
export function resendWaitMs(tokenIssuedAt: Date | null, now: Date): number {
  if (!tokenIssuedAt) return 0;
  return Math.max(0, tokenIssuedAt.getTime() + RESEND_COOLDOWN_MS - now.getTime());
}

/** Who an invitation is pending for: sent by this person, into this project, or this one invitation. */
export type PendingScope = { senderId: string | null } | { projectId: string } | { id: string };

/** Neither used nor revoked (expired ones included: they could still be resent). */
export function pendingWhere(scope: PendingScope): WhereOptions {
  return { ...scope, isUsed: false, revokedAt: null };
}

/** Still acceptable: neither used, revoked nor expired. */
export function usableWhere(now: Date): WhereOptions {
  return { isUsed: false, revokedAt: null, expiresAt: { [Op.gt]: now } };
}

/** Unused invitations that expired more than `retentionDays` ago: the cleanup deletes these. */
export function cleanupWhere(now: Date, retentionDays: number): WhereOptions {
  return { isUsed: false, expiresAt: { [Op.lt]: new Date(now.getTime() - retentionDays * DAY_MS) } };
}

/** Usable invitations whose mail has not gone out (nor failed) a while after the token was issued. */
export function sweepWhere(now: Date): WhereOptions {
  return {
    ...usableWhere(now),
    sentAt: null,
    sendError: null,
    email: { [Op.ne]: '' },
    tokenIssuedAt: { [Op.lt]: new Date(now.getTime() - SWEEP_AFTER_MS) },
  };
}
