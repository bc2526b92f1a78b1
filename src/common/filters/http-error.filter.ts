import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '../errors/domain-errors';
import { httpAnswerOf } from '../errors/http-mapping';
import { signalSession } from '../unpoly/session-signal';
import { Unpoly } from '../unpoly/unpoly';
import { defaultErrorMessage, errorTitle, renderError } from '../views/render-error';
import { NotSignedInException } from './not-signed-in.exception';

/**
 * Every error becomes a friendly page with the right status; unexpected ones are logged. Domain
 * errors thrown by services get their status and words here (common/errors/http-mapping.ts).
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();

    if (exception instanceof NotSignedInException) {
      // A live stream (EventSource) can show neither a page nor a redirect: a bare 401 ends it,
      // and public/live.js tries again later.
      if (wantsEventStream(req)) {
        signalSession(res, 'signed-out');
        res.status(401).end();
        return;
      }
      // A page's script (a link into a modal, a form) must not follow a redirect and show the
      // sign-in form in place of the content: it is told, and signs the person in over the page.
      if (new Unpoly(req, res).isUnpoly) {
        signalSession(res, 'signed-out');
        renderError(req, res, 401);
        return;
      }
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      res.redirect(303, `/login${next}`);
      return;
    }
    if (exception instanceof DomainError) {
      const { status, message } = httpAnswerOf(exception);
      if (status >= 500) this.logger.error(exception.stack);
      renderError(req, res, status, message);
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      renderError(req, res, status, this.messageOf(exception, status));
      return;
    }
    const status = statusOfForeignError(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    renderError(req, res, status, status >= 500 ? defaultErrorMessage(status) : undefined);
  }

  /** The message given when the exception was thrown, unless it is only the generic status text. */
  private messageOf(exception: HttpException, status: number): string | undefined {
    const body = exception.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    const text = Array.isArray(message) ? message.join(' ') : typeof message === 'string' ? message : undefined;
    // Generic texts ("Not Found", Nest's "Cannot GET /x") say less than the friendly default.
    if (
      !text ||
      text.toLowerCase() === errorTitle(status).toLowerCase() ||
      /^[A-Z][a-z]+( [A-Z][a-z]+)*$/.test(text) ||
      /^Cannot [A-Z]+ \//.test(text)
    ) {
      return undefined;
    }
    return text;
  }
}

/** Status for errors raised by Express middleware and libraries (http-errors style), 503 for a lost database, else 500. */
export function statusOfForeignError(error: unknown): number {
  const name = (error as { name?: unknown })?.name;
  if (
    typeof name === 'string' &&
    /^Sequelize(Connection|HostNotReachable|ConnectionRefused|ConnectionTimedOut|ConnectionAcquireTimeout)/.test(name)
  ) {
    return 503;
  }
  if (name === 'SequelizeDatabaseError' && isLostConnection((error as { parent?: unknown }).parent)) return 503;
  // pg's own errors, from the reads that bypass Sequelize (database/prepared-reads.ts).
  if (isLostConnection(error)) return 503;
  const status =
    (error as { status?: unknown; statusCode?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

/** Socket error codes, and PostgreSQL's connection-exception (08) and shutdown (57P0x) classes. */
const LOST_CONNECTION_CODE = /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|08[0-9A-Z]{3}|57P0[1-3])$/;
const LOST_CONNECTION_MESSAGE =
  /^(Connection terminated|Client has encountered a connection error|Client was closed|timeout exceeded when trying to connect)/;

/**
 * A query that failed because its connection went away (pg reports it as a plain query error,
 * which Sequelize wraps as a DatabaseError): the database is unavailable, not the request wrong.
 */
function isLostConnection(cause: unknown): boolean {
  const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
  return (
    (typeof code === 'string' && LOST_CONNECTION_CODE.test(code)) ||
    (typeof message === 'string' && LOST_CONNECTION_MESSAGE.test(message))
  );
}

function wantsEventStream(req: Request): boolean {
  return req.headers.accept?.includes('text/event-stream') ?? false;
}
