import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { mergeMap, Observable, of } from 'rxjs';
import { flash } from '../views/flash';
import { APP_EVENTS } from './app-events';
import { isModalResult, Locals, ModalResult } from './modal-result';
import { Unpoly } from './unpoly';

/**
 * Turns the ModalResult a handler returns into the response (global, see AppModule). Any other
 * value (the locals of a `@Render` route, nothing from a handler that wrote the response
 * itself) passes through untouched. It sets status and headers and hands the rendered HTML to
 * Nest, which sends it.
 */
@Injectable()
export class ModalResultInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    return next
      .handle()
      .pipe(
        mergeMap((value) =>
          isModalResult(value) ? respond(value, http.getRequest<Request>(), http.getResponse<Response>()) : of(value),
        ),
      );
  }
}

/** Writes status and headers for the result; resolves to the body to send (HTML), if any. */
export async function respond(result: ModalResult, req: Request, res: Response): Promise<string | undefined> {
  const up = new Unpoly(req, res);
  switch (result.kind) {
    case 'view':
      up.emit(result.events);
      res.status(result.status);
      return renderView(res, result.view, result.locals);
    case 'no-content':
      up.emit(result.events);
      res.status(204);
      return undefined;
    case 'redirect':
      return seeOther(res, result.to);
    case 'done':
      if (result.inPlace && up.isUnpoly) {
        up.emit(result.events);
        res.status(200);
        return renderView(res, result.inPlace.view, result.inPlace.locals);
      }
      if (result.acceptWith && up.inOverlay) {
        up.acceptLayer(result.acceptWith.value);
        res.status(200);
        return renderView(res, result.acceptWith.view, result.acceptWith.locals);
      }
      if (!result.inPlace && up.inOverlay) {
        // The page beneath may reload its list, so the message travels as an event that the
        // layout's live region (outside every reloaded fragment) shows as a toast.
        const toast = result.flash ? [{ type: APP_EVENTS.toast, message: result.flash }] : [];
        up.emit([...result.events, ...toast]).acceptLayer();
        res.status(200);
        return undefined;
      }
      // A redirect's headers never reach Unpoly (the browser follows it), so no events here.
      if (result.flash) flash(req, 'success', result.flash);
      return seeOther(res, result.redirectTo);
  }
}

function seeOther(res: Response, to: string): undefined {
  res.status(303).location(to);
  return undefined;
}

/** Renders like res.render() (with res.locals), but leaves sending to Nest. */
function renderView(res: Response, view: string, locals: Locals): Promise<string> {
  return new Promise((resolve, reject) => {
    // res.render() writes `_locals` into the object it is given: give it a copy.
    res.render(view, { ...locals }, (error: Error | null, html: string) => (error ? reject(error) : resolve(html)));
  });
}
