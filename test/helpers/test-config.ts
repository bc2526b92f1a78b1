import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';

/** The SQLite file of the embedded-default test run (inside the checkout, so parallel checkouts never share it). */
export const TEST_SQLITE_FILE = resolve(__dirname, '..', '..', 'data', 'test', 'e2e.sqlite');

/** Tests use DATABASE_URL / REDIS_URL when set (PostgreSQL + Redis run), the embedded defaults otherwise. */
export function testDatabaseUrl(): string {
  return process.env.DATABASE_URL || `sqlite:${TEST_SQLITE_FILE}`;
}

export const usesPostgres = () => testDatabaseUrl().startsWith('postgres');
export const usesRedis = () => Boolean(process.env.REDIS_URL);

/**
 * A configuration for one test app: generous rate limits, its own Redis key prefix, and the
 * cheapest argon2id (tests sign in hundreds of times; the sign-in timing test asks for the standard cost).
 */
export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: process.env.REDIS_URL ?? '',
    QUEUE_PREFIX: `hticket-test-${randomBytes(4).toString('hex')}`,
    SESSION_SECRET: 'test-secret-that-is-long-enough-0123456789',
    LOGIN_RATE_LIMIT_PER_IP: '10000',
    LOGIN_RATE_LIMIT_PER_ACCOUNT: '10000',
    JOIN_RATE_LIMIT_PER_IP: '10000',
    PASSWORD_RESET_RATE_LIMIT_PER_IP: '10000',
    PASSWORD_RESET_RATE_LIMIT_PER_ACCOUNT: '10000',
    UPLOAD_DIR: join(resolve(__dirname, '..', '..', 'data', 'test'), `uploads-${randomBytes(4).toString('hex')}`),
    PASSWORD_HASH_COST: 'minimal',
    LOG_SQL: process.env.LOG_SQL ?? '',
    ...env,
  });
}
