import { INestApplication, Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import hbs from 'hbs';
import methodOverride from 'method-override';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import passport from 'passport';
import { Sequelize } from 'sequelize-typescript';
import { csrfSync } from 'csrf-sync';
import { AVATAR_UPLOAD_PATH, parseAvatarUploadBeforeCsrf } from './accounts/avatar-upload';
import { SESSION_COOKIE } from './accounts/session-settings';
import { QuietSessionStore, SessionStore } from './accounts/session-store';
import { statusOfForeignError } from './common/filters/http-error.filter';
import { RedisConnection } from './common/redis/redis.module';
import { RateLimits } from './common/security/rate-limits';
import { signalSession, SIGNED_OUT_MESSAGE } from './common/unpoly/session-signal';
import { takeFlash } from './common/views/flash';
import { renderError } from './common/views/render-error';
import { registerViewHelpers } from './common/views/view-helpers';
import { AppConfig } from './config/app-config';
import { NotificationsService } from './notifications/notifications.service';
import { LIVE_STREAM_PATH } from './live/live-paths';
import { unreadCountOnPages } from './notifications/unread-count.middleware';
import { PreparedReads } from './database/prepared-reads';
import { CSRF_FIELD } from './common/security/csrf-field';
import { hotPaths } from './hot-paths/hot-paths';
import { DashboardService } from './projects/dashboard.service';
import { KeptTicketDetails } from './tickets/kept-ticket-details';
import { SignedInContext } from './hot-paths/signed-in-context';
import { BoardFragments } from './tickets/board-fragments';

/** The route exempt from CSRF (see below); the security suite lists it as the only one. */
export const UNSUBSCRIBE_PATH = /^\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export const VIEWS_DIR = join(__dirname, '..', 'views');
export const PUBLIC_DIR = join(__dirname, '..', 'public');

const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** Reads every partial under views/partials now (hbs' own loader is asynchronous). */
function registerPartials(dir: string, root = dir): void {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) registerPartials(path, root);
    else if (entry.endsWith('.hbs'))
      hbs.registerPartial(relative(root, path).replace(/\.hbs$/, ''), readFileSync(path, 'utf8'));
  }
}

function setupViews(app: NestExpressApplication, config: AppConfig): void {
  app.setBaseViewsDir(VIEWS_DIR);
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
  app.set('view cache', config.isProduction || config.nodeEnv === 'test');
  registerPartials(join(VIEWS_DIR, 'partials'));
  registerViewHelpers(hbs);
}

/** The files of npm packages that the layout loads (and their source maps); nothing else of them is served. */
const PACKAGE_ASSETS = [
  {
    prefix: '/assets/unpoly/',
    dir: packageDir('unpoly'),
    files: ['unpoly.min.js', 'unpoly.min.css', 'unpoly-bootstrap5.min.js', 'unpoly-bootstrap5.min.css'],
  },
  {
    prefix: '/assets/bootstrap/',
    dir: join(packageDir('bootstrap'), 'dist'),
    files: ['css/bootstrap.min.css', 'js/bootstrap.bundle.min.js'],
  },
];

function setupAssets(app: NestExpressApplication, config: AppConfig): void {
  const maxAge = config.isProduction ? '7d' : 0;
  // Under a prefix, not at the root: a root static handler costs every page request a file lookup.
  app.useStaticAssets(PUBLIC_DIR, { prefix: '/assets/app/', maxAge });
  for (const { prefix, dir, files } of PACKAGE_ASSETS) {
    const allowed = new Set(files.flatMap((file) => [`/${file}`, `/${file}.map`]));
    const serve = express.static(dir, { maxAge, index: false, redirect: false });
    app.use(prefix, (req: Request, res: Response, next: NextFunction) => {
      if (allowed.has(req.path)) void serve(req, res, next);
      else next();
    });
  }
}

/** helmet's options: the security headers of every answer (the benchmark's ceiling sends the same). */
export function securityHeaderOptions(isProduction: boolean): Parameters<typeof helmet>[0] {
  return {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': isProduction ? [] : null,
      },
    },
    strictTransportSecurity: isProduction,
    referrerPolicy: { policy: 'same-origin' },
  };
}

/** Turns an Express middleware's error into a friendly error page instead of a stack trace. */
function friendly(middleware: RequestHandler): RequestHandler {
  return (req, res, next) =>
    middleware(req, res, (error?: unknown) => (error ? renderError(req, res, statusOfForeignError(error)) : next()));
}

/**
 * Everything between Express and the controllers, in order. Shared by main.ts and the e2e
 * tests so that tests exercise exactly what runs in production.
 */
export function configureApp(app: INestApplication, config: AppConfig): void {
  const express_ = app as NestExpressApplication;
  const server: express.Express = express_.getHttpAdapter().getInstance();
  express_.set('trust proxy', config.trustProxy ? 1 : false);
  express_.disable('x-powered-by');
  // Pages are no-store (below), so an ETag (a SHA-1 of every page body) would buy nothing.
  express_.set('etag', false);
  setupViews(express_, config);

  express_.use(helmet(securityHeaderOptions(config.isProduction)));
  setupAssets(express_, config);
  // Pages are per person: never let a browser or proxy cache them (back button after sign-out).
  express_.use((_req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  // Only what HTML forms send: flat url-encoded fields (a repeated name gives a list of
  // strings), or multipart, which the upload's controller parses. Nothing in the app sends JSON.
  const store = new SessionStore(app.get(Sequelize));
  if (config.hotPaths) {
    express_.use(
      hotPaths({
        context: new SignedInContext(app.get(PreparedReads), config.sessionSecret, absoluteSessionLifetimeMs(config)),
        store,
        isProduction: config.isProduction,
        dashboard: app.get(DashboardService),
        boardFragments: app.get(BoardFragments),
        keptDetails: app.get(KeptTicketDetails),
      }),
    );
  }

  express_.use(onlyFormBodies);
  express_.use(friendly(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 100 })));
  express_.use(methodFromForm());

  const sessionOptions: session.SessionOptions = {
    name: SESSION_COOKIE,
    secret: config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.isProduction,
      maxAge: config.sessionIdleMinutes * 60_000,
    },
  };
  const pageSession = session(sessionOptions);
  // Live update streams read the session but never extend it nor send a cookie (src/live).
  const streamSession = session({ ...sessionOptions, rolling: false, store: new QuietSessionStore(store) });
  express_.use((req: Request, res: Response, next: NextFunction) =>
    (req.method === 'GET' && LIVE_STREAM_PATH.test(req.path) ? streamSession : pageSession)(req, res, next),
  );
  express_.use(passport.initialize());
  express_.use(passport.session());
  express_.use(endExpiredSessions(config));

  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    // The form field or the header Unpoly sends; never the query string (URLs end up in logs,
    // histories and Referer headers).
    getTokenFromRequest: (req) => {
      const fromBody = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
      if (typeof fromBody === 'string') return fromBody;
      return req.get('x-csrf-token');
    },
  });
  express_.use((req: Request, res: Response, next: NextFunction) => {
    res.locals.currentUser = req.user;
    res.locals.csrfParam = CSRF_FIELD;
    res.locals.isProduction = config.isProduction;
    // Evaluated only when a view renders, so that plain requests create no session.
    Object.defineProperty(res.locals, 'csrfToken', {
      enumerable: true,
      get: () => (req.session ? generateToken(req) : ''),
    });
    Object.defineProperty(res.locals, 'flash', { enumerable: true, get: () => takeFlash(req) });
    next();
  });
  express_.use(unreadCountOnPages(app.get(NotificationsService)));

  const rateLimits = new RateLimits(config, app.get(RedisConnection).client);
  server.post('/login', ...rateLimits.login());
  const join = rateLimits.join();
  server.get('/join/:token', join);
  server.post('/join/:token', join);
  const reset = rateLimits.passwordReset();
  server.post('/forgot-password', reset.perIp, reset.perAccount);
  server.get('/reset-password/:resetToken', reset.perIp);
  server.post('/reset-password/:resetToken', reset.perIp);
  // The one multipart form: its body is read now, so that its _csrf field can be checked.
  server.post(AVATAR_UPLOAD_PATH, parseAvatarUploadBeforeCsrf());

  express_.use((req: Request, res: Response, next: NextFunction) => {
    // The one exemption: one-click unsubscribe (RFC 8058), which mail clients POST without a
    // session or token; its signed token authenticates it (UnsubscribeController).
    if (req.method === 'POST' && UNSUBSCRIBE_PATH.test(req.path)) return next();
    csrfSynchronisedProtection(req, res, (error?: unknown) => (error ? refuseStaleForm(req, res) : next()));
  });

  // Errors from the middleware above (a database outage while loading the session, say).
  express_.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = statusOfForeignError(error);
    if (status >= 500) new Logger('HttpError').error(error instanceof Error ? error.stack : String(error));
    renderError(req, res, status);
  });
}

/**
 * A wrong or missing CSRF token: 403. A form sent after its session ended (no one signed in
 * now) and one sent with an earlier session's token are told apart for the page's scripts.
 */
function refuseStaleForm(req: Request, res: Response): void {
  if (req.user) {
    signalSession(res, 'token-stale');
    renderError(req, res, 403);
  } else {
    signalSession(res, 'signed-out');
    renderError(req, res, 403, SIGNED_OUT_MESSAGE);
  }
}

function onlyFormBodies(req: Request, res: Response, next: NextFunction): void {
  // (type-is counts a `Content-Length: 0` as a body: an empty POST has none.)
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is(['urlencoded', 'multipart'])) {
    return renderError(req, res, 415, 'Send this as a form: other kinds of request body are not accepted.');
  }
  next();
}

const OVERRIDABLE_METHODS = ['PATCH', 'PUT', 'DELETE'];

/**
 * HTML forms only POST: their `_method` field makes a POST a PATCH, PUT or DELETE, and nothing
 * else (a HEAD or GET would skip the CSRF check and answer without a body).
 */
function methodFromForm(): RequestHandler {
  const methodOf = (req: Request) => (req.body as { _method?: unknown } | undefined)?._method;
  const override = methodOverride((req) => methodOf(req) as string);
  return (req, res, next) => {
    const wanted = req.method === 'POST' ? methodOf(req) : undefined;
    if (wanted === undefined) return next();
    if (typeof wanted !== 'string' || !OVERRIDABLE_METHODS.includes(wanted.toUpperCase())) {
      return renderError(req, res, 400, 'This form asks for a method that is not accepted.');
    }
    override(req, res, next);
  };
}

const absoluteSessionLifetimeMs = (config: AppConfig) => config.sessionAbsoluteHours * 3_600_000;

/** Absolute session lifetime: a session older than SESSION_ABSOLUTE_HOURS starts over signed out. */
function endExpiredSessions(config: AppConfig): RequestHandler {
  const maxAgeMs = absoluteSessionLifetimeMs(config);
  return (req, _res, next) => {
    const startedAt = req.session?.startedAt;
    if (!req.user || (startedAt && Date.now() - startedAt <= maxAgeMs)) return next();
    req.session.regenerate((error) => {
      req.user = undefined;
      next(error);
    });
  };
}
