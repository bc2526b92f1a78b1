/**
 * The typed configuration every part of the application reads. Built once per process from
 * the environment by `loadConfig`, then provided to Nest as a value (see AppConfigModule).
 */
/** argon2id cost of new password hashes (see src/accounts/passwords.ts). */
export type PasswordHashCost = 'standard' | 'minimal';

export class AppConfig {
  declare nodeEnv: 'development' | 'production' | 'test';
  declare isProduction: boolean;
  declare port: number;
  declare baseUrl: string;
  /** `sqlite:<path>` for the embedded default, `postgres://...` for PostgreSQL. */
  declare databaseUrl: string;
  declare redisUrl: string | null;
  /** Prefix of every Redis key the queues use, so several installations can share a Redis. */
  declare queuePrefix: string;
  declare sessionSecret: string;
  declare sessionIdleMinutes: number;
  declare sessionAbsoluteHours: number;
  declare smtpUrl: string | null;
  declare mailFrom: string;
  declare inviteTtlHours: number;
  declare inviteRetentionDays: number;
  declare inviteCleanupCron: string;
  /** Notifications of one person about one ticket within this many milliseconds go out as one email. */
  declare notifyWindowMs: number;
  /** How often the sweep queues again notification mail left pending (Redis was away, a worker died). */
  declare notifySweepMs: number;
  /** How long a worker's claim on a job lasts without renewal: a killed worker's job runs again after about this. */
  declare jobLockMs: number;
  declare adminEmail: string | null;
  declare uploadDir: string;
  declare loginRateLimitPerIp: number;
  declare loginRateLimitPerAccount: number;
  declare joinRateLimitPerIp: number;
  /** How long a password reset link works. */
  declare passwordResetTtlMinutes: number;
  /** Requests of reset links and visits of them, per IP address per window. */
  declare passwordResetRateLimitPerIp: number;
  /** Requests of reset links per email address typed, per window. */
  declare passwordResetRateLimitPerAccount: number;
  declare rateLimitWindowMinutes: number;
  /** argon2id cost of new password hashes: `standard` always, `minimal` only for test runs. */
  declare passwordHashCost: PasswordHashCost;
  /** Live updates (src/live): a comment line on every idle stream this often, so proxies keep it open. */
  declare liveHeartbeatMs: number;
  /** How often open streams check that their sessions still exist (sign-out, expiry, idle timeout). */
  declare liveSessionCheckMs: number;
  /** How often open project streams check access again (domain events check it at once). */
  declare liveAccessCheckMs: number;
  /** How many recent events are kept for `Last-Event-ID` catch-up. */
  declare liveLogSize: number;
  declare trustProxy: boolean;
  declare logSql: boolean;
  /**
   * Serve the busiest pages (the board) before the regular pipeline (src/hot-paths). Off only to
   * compare both answers in tests.
   */
  declare hotPaths: boolean;
}
