import type { Request, Response } from 'express';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Signed out',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Changed meanwhile',
  410: 'No longer available',
  413: 'Too large',
  422: 'Please check your input',
  429: 'Too many attempts',
  500: 'Something went wrong',
  503: 'Temporarily unavailable',
};

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'The request could not be understood.',
  401: 'Your session has ended. Sign in again to continue.',
  403: 'Your form has expired or was sent from somewhere else. Reload the page and try again.',
  404: 'There is nothing here, or you do not have access to it.',
  410: 'This link is no longer valid.',
  413: 'What you sent is too large.',
  422: 'Some of what you entered is not valid.',
  429: 'Too many attempts. Wait a few minutes and try again.',
  500: 'An unexpected error happened on our side. Please try again in a moment.',
  503: 'hticket cannot reach one of its services right now. Please try again in a moment.',
};

export function errorTitle(status: number): string {
  return TITLES[status] ?? (status >= 500 ? TITLES[500] : TITLES[400]);
}

export function defaultErrorMessage(status: number): string {
  return DEFAULT_MESSAGES[status] ?? (status >= 500 ? DEFAULT_MESSAGES[500] : DEFAULT_MESSAGES[400]);
}

/**
 * Renders the error page (a full page that also works as the content of a modal layer), or
 * JSON for clients that do not accept HTML. Never throws: a failing view falls back to text.
 */
export function renderError(req: Request, res: Response, status: number, message?: string): void {
  if (res.headersSent) return;
  const body = { status, title: errorTitle(status), message: message || defaultErrorMessage(status) };
  res.status(status);
  if (!req.accepts('html')) {
    res.json({ statusCode: status, error: body.title, message: body.message });
    return;
  }
  res.render('errors/error', body, (error: Error | null, html?: string) => {
    if (error) res.type('text/plain').send(`${body.title}: ${body.message}`);
    else res.send(html);
  });
}
