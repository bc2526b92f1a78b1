import { Injectable } from '@nestjs/common';
import { PassportSerializer } from '@nestjs/passport';
import { AccountsService } from './accounts.service';
import { signedInPayload, SignedInPayload } from './session-settings';
import { User } from './user.model';

/**
 * Keeps the user id and session generation in the session. On every request the user is read
 * (one query) and the session refused when the user is deactivated or deleted, or when its
 * generation is older than the user's (their sessions were ended meanwhile).
 */
@Injectable()
export class SessionSerializer extends PassportSerializer {
  constructor(private readonly accounts: AccountsService) {
    super();
  }

  serializeUser(user: User, done: (err: Error | null, payload?: SignedInPayload) => void): void {
    done(null, signedInPayload(user));
  }

  deserializeUser(payload: unknown, done: (err: Error | null, user?: User | false) => void): void {
    const session = readPayload(payload);
    if (!session) return done(null, false);
    this.accounts
      .findById(session.id)
      .then((user) => done(null, user && holdsSession(user, session) ? user : false))
      .catch((error: Error) => done(error));
  }
}

/** Whether a session signed in as `payload` still belongs to `user`: active, and not ended since (generation). */
export function holdsSession(
  user: Pick<User, 'id' | 'isActive' | 'sessionGeneration'>,
  payload: SignedInPayload,
): boolean {
  return user.id === payload.id && user.isActive && user.sessionGeneration === payload.generation;
}

/** Sessions signed in before generations existed hold the bare user id: generation 0. */
export function readPayload(payload: unknown): SignedInPayload | null {
  if (typeof payload === 'string') return { id: payload, generation: 0 };
  const { id, generation } = (payload ?? {}) as Partial<SignedInPayload>;
  return typeof id === 'string' && typeof generation === 'number' ? { id, generation } : null;
}
