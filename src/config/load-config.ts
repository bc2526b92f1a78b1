import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength, validateSync } from 'class-validator';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { IsPlainEmail } from '../common/forms/email-address';
import { AppConfig, type PasswordHashCost } from './app-config';

/** Raised for a configuration that must stop start-up; its message is one line naming the variable. */
export class ConfigError extends Error {}

const DEVELOPMENT_SESSION_SECRET = 'development-only-secret-change-me-in-production';

/**
 * Session secrets that are public: the development default and the placeholders shipped in
 * docker-compose.yml and .env.example (and anything that still says "change me"). Whoever
 * knows the secret can forge session cookies, so production refuses them.
 */
export const PUBLIC_SESSION_SECRETS: readonly string[] = [
  DEVELOPMENT_SESSION_SECRET,
  'change-me-to-at-least-32-random-characters',
];
const PLACEHOLDER_SECRET = /change[\s_.-]*me/i;

const toBoolean = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  return typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;
};

/** The environment variables, as validated input. Every one is documented in .env.example. */
class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: 'development' | 'production' | 'test';

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  BASE_URL?: string;

  @IsOptional()
  @IsString()
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  REDIS_URL?: string;

  @IsOptional()
  @IsString()
  QUEUE_PREFIX?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'SESSION_SECRET must be at least 32 characters long' })
  SESSION_SECRET?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SESSION_IDLE_MINUTES?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SESSION_ABSOLUTE_HOURS?: number;

  @IsOptional()
  @IsString()
  SMTP_URL?: string;

  @IsOptional()
  @IsString()
  MAIL_FROM?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  INVITE_TTL_HOURS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  INVITE_RETENTION_DAYS?: number;

  @IsOptional()
  @IsString()
  INVITE_CLEANUP_CRON?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  NOTIFY_WINDOW_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  NOTIFY_SWEEP_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  JOB_LOCK_MS?: number;

  @IsOptional()
  @IsPlainEmail({ message: 'ADMIN_EMAIL must be a plain email address, like admin@example.com' })
  ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  UPLOAD_DIR?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT_PER_IP?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT_PER_ACCOUNT?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  JOIN_RATE_LIMIT_PER_IP?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  PASSWORD_RESET_TTL_MINUTES?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  PASSWORD_RESET_RATE_LIMIT_PER_IP?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  PASSWORD_RESET_RATE_LIMIT_PER_ACCOUNT?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_WINDOW_MINUTES?: number;

  @IsOptional()
  @IsIn(['standard', 'minimal'])
  PASSWORD_HASH_COST?: PasswordHashCost;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(10)
  LIVE_HEARTBEAT_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(10)
  LIVE_SESSION_CHECK_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(10)
  LIVE_ACCESS_CHECK_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(10)
  LIVE_LOG_SIZE?: number;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  TRUST_PROXY?: boolean;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  LOG_SQL?: boolean;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  HOT_PATHS?: boolean;
}

function firstError(env: EnvironmentVariables): string | null {
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length === 0) return null;
  const [error] = errors;
  const message = Object.values(error.constraints ?? {})[0] ?? 'is invalid';
  return message.startsWith(error.property) ? message : `${error.property} ${message}`;
}

/** Reads `.env` (or the file named by ENV_FILE), when present, into process.env without overriding variables already set. */
export function loadEnvFile(path = resolve(process.cwd(), process.env.ENV_FILE || '.env')): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/**
 * Validates the environment and returns the typed configuration, or throws ConfigError with one
 * line naming the offending variable. Defaults give the embedded mode; production demands the
 * real services and a real secret.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const env = plainToInstance(EnvironmentVariables, { ...source }, { excludeExtraneousValues: false });
  const problem = firstError(env);
  if (problem) throw new ConfigError(`Configuration error: ${problem}`);

  const nodeEnv = env.NODE_ENV ?? 'development';
  const isProduction = nodeEnv === 'production';
  if (isProduction) {
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'SESSION_SECRET'] as const) {
      if (!env[name]) throw new ConfigError(`Configuration error: ${name} is required when NODE_ENV=production`);
    }
    if (PUBLIC_SESSION_SECRETS.includes(env.SESSION_SECRET!) || PLACEHOLDER_SECRET.test(env.SESSION_SECRET!)) {
      throw new ConfigError(
        'Configuration error: SESSION_SECRET is a published example value; set it to 32+ random characters (openssl rand -hex 32) when NODE_ENV=production',
      );
    }
    if (!env.DATABASE_URL!.startsWith('postgres')) {
      throw new ConfigError('Configuration error: DATABASE_URL must be a postgres:// URL when NODE_ENV=production');
    }
  }
  const databaseUrl = env.DATABASE_URL || 'sqlite:./data/hticket.sqlite';
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new ConfigError('Configuration error: DATABASE_URL must start with sqlite: or postgres://');
  }
  if (env.PASSWORD_HASH_COST === 'minimal' && nodeEnv !== 'test') {
    throw new ConfigError('Configuration error: PASSWORD_HASH_COST=minimal is for test runs only (NODE_ENV=test)');
  }
  const port = env.PORT ?? 3000;

  return Object.assign(new AppConfig(), {
    nodeEnv,
    isProduction,
    port,
    baseUrl: (env.BASE_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    databaseUrl,
    redisUrl: env.REDIS_URL || null,
    queuePrefix: env.QUEUE_PREFIX || 'hticket',
    sessionSecret: env.SESSION_SECRET || DEVELOPMENT_SESSION_SECRET,
    sessionIdleMinutes: env.SESSION_IDLE_MINUTES ?? 120,
    sessionAbsoluteHours: env.SESSION_ABSOLUTE_HOURS ?? 24 * 7,
    smtpUrl: env.SMTP_URL || null,
    mailFrom: env.MAIL_FROM || 'hticket <no-reply@hticket.local>',
    inviteTtlHours: env.INVITE_TTL_HOURS ?? 48,
    inviteRetentionDays: env.INVITE_RETENTION_DAYS ?? 7,
    inviteCleanupCron: env.INVITE_CLEANUP_CRON || '0 * * * *',
    notifyWindowMs: env.NOTIFY_WINDOW_MS ?? 120_000,
    notifySweepMs: env.NOTIFY_SWEEP_MS ?? 300_000,
    jobLockMs: env.JOB_LOCK_MS ?? 30_000,
    adminEmail: env.ADMIN_EMAIL ? env.ADMIN_EMAIL.toLowerCase() : null,
    uploadDir: resolve(env.UPLOAD_DIR || './data/uploads'),
    loginRateLimitPerIp: env.LOGIN_RATE_LIMIT_PER_IP ?? 30,
    loginRateLimitPerAccount: env.LOGIN_RATE_LIMIT_PER_ACCOUNT ?? 5,
    joinRateLimitPerIp: env.JOIN_RATE_LIMIT_PER_IP ?? 20,
    passwordResetTtlMinutes: env.PASSWORD_RESET_TTL_MINUTES ?? 60,
    passwordResetRateLimitPerIp: env.PASSWORD_RESET_RATE_LIMIT_PER_IP ?? 20,
    passwordResetRateLimitPerAccount: env.PASSWORD_RESET_RATE_LIMIT_PER_ACCOUNT ?? 3,
    rateLimitWindowMinutes: env.RATE_LIMIT_WINDOW_MINUTES ?? 15,
    passwordHashCost: env.PASSWORD_HASH_COST ?? 'standard',
    liveHeartbeatMs: env.LIVE_HEARTBEAT_MS ?? 25_000,
    liveSessionCheckMs: env.LIVE_SESSION_CHECK_MS ?? 2_000,
    liveAccessCheckMs: env.LIVE_ACCESS_CHECK_MS ?? 60_000,
    liveLogSize: env.LIVE_LOG_SIZE ?? 1_000,
    trustProxy: env.TRUST_PROXY ?? false,
    hotPaths: env.HOT_PATHS ?? true,
    logSql: env.LOG_SQL ?? false,
  } satisfies AppConfig);
}

/** For entry points: load `.env`, validate, and on failure print the one line and exit. */
export function loadConfigOrExit(): AppConfig {
  loadEnvFile();
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
