import type { Request, RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import type Redis from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import { normalizeEmail } from '../../accounts/accounts.service';
import { AppConfig } from '../../config/app-config';
import { renderError } from '../views/render-error';

interface LimiterSpec {
  name: string;
  limit: number;
  message: string;
  key?: (req: Request) => string;
  /** Count only failed attempts (responses of 400 and above). */
  failuresOnly?: boolean;
}

/** Rate limiters shared by every web process through Redis when it is configured. */
export class RateLimits {
  constructor(
    private readonly config: AppConfig,
    private readonly redis: Redis | null,
  ) {}

  /** Sign-in: per IP address, and per account (failed attempts only). */
  login(): RequestHandler[] {
    const message = 'Too many sign-in attempts. Wait a few minutes and try again.';
    return [
      this.limiter({ name: 'login-ip', limit: this.config.loginRateLimitPerIp, message }),
      this.limiter({
        name: 'login-account',
        limit: this.config.loginRateLimitPerAccount,
        message,
        failuresOnly: true,
        key: (req) => `account:${normalizeEmail(emailOf(req.body))}`,
      }),
    ];
  }

  /** Accepting an invitation: per IP address. */
  join(): RequestHandler {
    return this.limiter({
      name: 'join-ip',
      limit: this.config.joinRateLimitPerIp,
      message: 'Too many attempts to accept invitations from your network. Wait a few minutes and try again.',
    });
  }

  private limiter(spec: LimiterSpec): RequestHandler {
    return rateLimit({
      windowMs: this.config.rateLimitWindowMinutes * 60_000,
      limit: spec.limit,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      skipSuccessfulRequests: spec.failuresOnly ?? false,
      keyGenerator: spec.key,
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

function emailOf(body: unknown): string {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email : '';
}
