import type { Request, RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import type Redis from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import { normalizeEmail } from '../../accounts/accounts.service';
import { trustedDevice } from '../../accounts/device-cookie';
import { AppConfig } from '../../config/app-config';
import { renderError } from '../views/render-error';

interface LimiterSpec {
  name: string;
  limit: number;
  message: string;
  key?: (req: Request) => string;
  /** Count only failed attempts (responses of 400 and above). */
  failuresOnly?: boolean;
  /** Requests this limiter neither counts nor limits. */
  skip?: (req: Request) => boolean;
}

/** The email typed in the form; anything else (a crafted array or object) shares one bucket. */
function typedEmail(req: Request): string {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? normalizeEmail(email) : '';
}

/** Rate limiters shared by every web process through Redis when it is configured. */
export class RateLimits {
  constructor(
    private readonly config: AppConfig,
    private readonly redis: Redis | null,
  ) {}

  /**
   * Sign-in: per IP address, and failed attempts per account. A browser holding a device cookie
   * for the account typed (it signed in to it before) has its own budget instead of the
   * account's, so that nobody can lock the owner out by failing on purpose.
   */
  login(): RequestHandler[] {
    const message = 'Too many sign-in attempts. Wait a few minutes and try again.';
    const device = (req: Request) =>
      trustedDevice(req, this.config.sessionSecret, (req.body as { email?: unknown })?.email);
    return [
      this.limiter({ name: 'login-ip', limit: this.config.loginRateLimitPerIp, message }),
      this.limiter({
        name: 'login-account',
        limit: this.config.loginRateLimitPerAccount,
        message,
        failuresOnly: true,
        key: (req) => `account:${typedEmail(req)}`,
        skip: (req) => device(req) !== null,
      }),
      this.limiter({
        name: 'login-device',
        limit: this.config.loginRateLimitPerAccount,
        message,
        failuresOnly: true,
        key: (req) => `device:${device(req)}`,
        skip: (req) => device(req) === null,
      }),
    ];
  }

  /** Invitation links, opened and accepted: per IP address. */
  join(): RequestHandler {
    return this.limiter({
      name: 'join-ip',
      limit: this.config.joinRateLimitPerIp,
      message: 'Too many attempts to accept invitations from your network. Wait a few minutes and try again.',
    });
  }

  /**
   * Password resets: `perIp` for the request form and the links (opened and submitted) alike,
   * `perAccount` for requests per email typed (whether or not it has an account).
   */
  passwordReset(): { perIp: RequestHandler; perAccount: RequestHandler } {
    const message = 'Too many password reset attempts. Wait a few minutes and try again.';
    return {
      perIp: this.limiter({ name: 'reset-ip', limit: this.config.passwordResetRateLimitPerIp, message }),
      perAccount: this.limiter({
        name: 'reset-account',
        limit: this.config.passwordResetRateLimitPerAccount,
        message,
        key: (req) => `account:${typedEmail(req)}`,
      }),
    };
  }

  private limiter(spec: LimiterSpec): RequestHandler {
    return rateLimit({
      windowMs: this.config.rateLimitWindowMinutes * 60_000,
      limit: spec.limit,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      skipSuccessfulRequests: spec.failuresOnly ?? false,
      keyGenerator: spec.key,
      skip: spec.skip,
      // An unreachable Redis must not lock everybody out: let requests through.
      passOnStoreError: true,
      store: this.store(spec.name),
      handler: (req, res) => renderError(req, res, 429, spec.message),
    });
  }

  private store(name: string): Store | undefined {
    const redis = this.redis;
    if (!redis) return undefined;
    return new RedisStore({
      prefix: `${this.config.queuePrefix}:rl:${name}:`,
      sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as never,
    });
  }
}
