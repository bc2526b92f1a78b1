import type { Request } from 'express';
import type { SessionData } from 'express-session';

type FlashType = NonNullable<SessionData['flash']>[number]['type'];

/** Queues a message for the next page the user sees. */
export function flash(req: Request, type: FlashType, message: string): void {
  req.session.flash = [...(req.session.flash ?? []), { type, message }];
}

/** Takes the queued messages (they are shown once). */
export function takeFlash(req: Request): SessionData['flash'] {
  const messages = req.session?.flash;
  if (messages) delete req.session.flash;
  return messages ?? [];
}
