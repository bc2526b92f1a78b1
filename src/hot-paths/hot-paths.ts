import { Logger } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isUUID } from 'class-validator';
import type { SessionStore } from '../accounts/session-store';
import { CSRF_FIELD } from '../common/security/csrf-field';
import { renderWithFragment } from '../common/views/render-with-fragment';
import type { DashboardRow, DashboardService } from '../projects/dashboard.service';
import type { BoardFragments } from '../tickets/board-fragments';
import { unfilteredBoardLocals } from '../tickets/board-page';
import type { KeptTicketDetails } from '../tickets/kept-ticket-details';
import type { DetailsRow } from '../tickets/ticket-details-row';
import { rollSessionCookie, sessionCookieOf } from './session-cookie';
import { KEPT, type SignedInContext, type SignedInPageContext } from './signed-in-context';

export interface HotPathsDeps {
  context: SignedInContext;
  store: SessionStore;
  isProduction: boolean;
  dashboard: DashboardService;
  boardFragments: BoardFragments;
  keptDetails: KeptTicketDetails;
}

interface HotPage {
  context: SignedInPageContext;
  view: string;
  locals: Record<string, unknown>;
  /** A pre-rendered part of the page (the board's columns, a ticket's details: see renderWithFragment). */
  fragment?: Buffer;
}

const UUID = '([0-9a-fA-F-]{36})';

/**
 * The pages people open most, with no query string: the dashboard (`/`), a project's board
 * (`/projects/:projectId`) and a ticket's details (`/projects/:projectId/tickets/:ticketId`).
 * Served before express-session, passport and Nest: one statement (SignedInContext) instead of
 * four for the session, the user, the project access and the unread count, no guard and
 * interceptor chain. Each gives the same guarantees and writes the same bytes as its controller
 * (test/e2e/hot-paths.e2e-spec.ts compares them), and only the plain case is served here: anything
 * else (no or a forged cookie, an ended session, no access, an unknown ticket, a queued flash
 * message, a session without its CSRF token yet) goes on to the regular pipeline, which answers
 * as it always has.
 */
export function hotPaths(deps: HotPathsDeps): RequestHandler {
  const logger = new Logger('HotPaths');

  const routes: [RegExp, (cookie: string, ids: string[]) => Promise<HotPage | null>][] = [
    [
      /^\/$/,
      async (cookie) => {
        const found = await deps.context.forPageWith<DashboardRow>(cookie, deps.dashboard.firstPageRead);
        if (!found?.folded) return null;
        return {
          context: found,
          view: 'projects/dashboard',
          locals: await deps.dashboard.firstPage(found.user, found.folded),
        };
      },
    ],
    [
      new RegExp(`^/projects/${UUID}$`),
      async (cookie, [projectId]) => {
        const context = await deps.context.forProject(cookie, projectId);
        if (!context) return null;
        return {
          context,
          view: 'tickets/board',
          locals: unfilteredBoardLocals(context.project),
          fragment: await deps.boardFragments.renderedColumns(context.project),
        };
      },
    ],
    [
      new RegExp(`^/projects/${UUID}/tickets/${UUID}$`),
      async (cookie, [projectId, ticketId]) => {
        const details = deps.keptDetails.foldedRead(projectId, ticketId);
        const found = await deps.context.forProjectWith<DetailsRow>(cookie, projectId, details);
        const { csrfToken } = found?.session ?? {};
        if (!found?.folded || typeof csrfToken !== 'string') return null;
        const row = found.folded === KEPT ? undefined : found.folded;
        const rendered = await details.render(found.project, row, found.user, csrfToken);
        if (!rendered) return null;
        return { context: found, view: 'kept-body', locals: { title: rendered.title }, fragment: rendered.body };
      },
    ],
  ];

  const serve = async (req: Request, res: Response, page: HotPage, cookie: string): Promise<boolean> => {
    const { session, sid, user, unreadCount } = page.context;
    if (typeof session.csrfToken !== 'string' || session.flash?.length) return false;
    const expires = rollSessionCookie(req, res, cookie, session.cookie);
    if (!expires) return false;
    // As express-session does after a request that did not change the session, before the answer
    // (throttled by the store: at most a write a minute).
    await new Promise<void>((done) =>
      deps.store.touch(sid, { ...session, cookie: { ...session.cookie, expires } }, (error) => {
        if (error) logger.warn(`session touch failed: ${error instanceof Error ? error.message : 'unknown error'}`);
        done();
      }),
    );
    const locals = {
      ...page.locals,
      currentUser: user,
      csrfParam: CSRF_FIELD,
      csrfToken: session.csrfToken,
      isProduction: deps.isProduction,
      flash: [],
      unreadCount,
    };
    if (page.fragment) await renderWithFragment(res, page.view, locals, page.fragment);
    else res.render(page.view, locals);
    return true;
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET') return next();
    const route = routes.find(([pattern]) => pattern.test(req.url));
    const cookie = route ? sessionCookieOf(req.headers.cookie) : undefined;
    if (!route || !cookie) return next();
    const ids = route[0].exec(req.url)!.slice(1);
    if (!ids.every((id) => isUUID(id))) return next();
    route[1](cookie, ids)
      .then((page) => (page ? serve(req, res, page, cookie) : false))
      .then(
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
