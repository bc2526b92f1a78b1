import type { NextFunction, Request, Response } from 'express';
import type { User } from '../accounts/user.model';
import type { NotificationsService } from './notifications.service';

type RenderCallback = (error: Error | null, html?: string) => void;

/**
 * Gives the navbar's bell its count: for a signed-in person, a page rendered with the layout
 * first counts their unread notifications (one statement, as `unreadCount` in the view's
 * locals). Only rendering pays it: redirects, files and empty answers cost nothing, and a view
 * rendered without the layout (`layout: false`) neither.
 */
export function unreadCountOnPages(notifications: Pick<NotificationsService, 'unreadCount'>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const user = req.user as User | undefined;
    if (!user) return next();
    const render = res.render.bind(res) as (view: string, options?: object, callback?: RenderCallback) => void;
    res.render = ((view: string, options?: object | RenderCallback, callback?: RenderCallback) => {
      const locals = typeof options === 'function' ? {} : (options ?? {});
      const done: RenderCallback | undefined = typeof options === 'function' ? (options as RenderCallback) : callback;
      if ((locals as { layout?: unknown }).layout === false || res.locals.unreadCount !== undefined)
        return render(view, locals, done);
      notifications.unreadCount(user.id).then(
        (count) => {
          res.locals.unreadCount = count;
          render(view, locals, done);
        },
        (error: Error) => (done ? done(error) : next(error)),
      );
    }) as Response['render'];
    next();
  };
}
