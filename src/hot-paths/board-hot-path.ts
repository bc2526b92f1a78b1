import { Logger } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isUUID } from 'class-validator';
import type { SessionStore } from '../accounts/session-store';
import { renderWithFragment } from '../common/views/render-with-fragment';
import type { BoardFragments } from '../tickets/board-fragments';
import { unfilteredBoardLocals } from '../tickets/board-page';
import { rollSessionCookie, sessionCookieOf } from './session-cookie';
import type { SignedInContext } from './signed-in-context';

/** The unfiltered board, `GET /projects/:projectId` with no query: the page people keep open. */
const BOARD_PATH = /^\/projects\/([0-9a-fA-F-]{36})$/;

export interface BoardHotPathDeps {
  context: SignedInContext;
  store: SessionStore;
  fragments: BoardFragments;
  isProduction: boolean;
}

/**
 * Serves the board of a signed-in member before express-session, passport and Nest: one
 * statement (SignedInContext) instead of four, no model instances for the session and user, no
 * guard and interceptor chain. It gives the same guarantees and writes the same bytes as
 * BoardController.show (test/e2e/hot-paths.e2e-spec.ts compares them), and it only ever serves
 * the plain case: anything else (no or a forged cookie, an ended session, no access, a queued
 * flash message, a session without its CSRF token yet) goes on to the regular pipeline, which
 * answers as it always has.
 */
export function boardHotPath(deps: BoardHotPathDeps): RequestHandler {
  const logger = new Logger('BoardHotPath');
  const serve = async (req: Request, res: Response, projectId: string, cookie: string): Promise<boolean> => {
    const context = await deps.context.forProject(cookie, projectId);
    const csrfToken = context?.session.csrfToken;
    if (!context || typeof csrfToken !== 'string' || context.session.flash?.length) return false;
    const expires = rollSessionCookie(req, res, cookie, context.session.cookie);
    if (!expires) return false;
    const columns = await deps.fragments.renderedColumns(context.project);
    // As express-session does after a request that did not change the session (throttled by the store).
    deps.store.touch(context.sid, { ...context.session, cookie: { ...context.session.cookie, expires } }, (error) => {
      if (error) logger.warn(`session touch failed: ${error instanceof Error ? error.message : 'unknown error'}`);
    });
    await renderWithFragment(
      res,
      'tickets/board',
      {
        ...unfilteredBoardLocals(context.project),
        currentUser: context.person,
        csrfParam: '_csrf',
        csrfToken,
        isProduction: deps.isProduction,
        flash: [],
        unreadCount: context.unreadCount,
      },
      columns,
    );
    return true;
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    const match = req.method === 'GET' ? BOARD_PATH.exec(req.url) : null;
    const cookie = match ? sessionCookieOf(req.headers.cookie) : undefined;
    if (!match || !cookie || !isUUID(match[1])) return next();
    serve(req, res, match[1], cookie).then(
      (served) => {
        if (!served && !res.headersSent) {
          res.removeHeader('Set-Cookie');
          next();
        }
      },
      (error: unknown) => (res.headersSent ? logger.error(String(error)) : next(error)),
    );
  };
}
