import { loadConfig } from '../src/config/load-config';

/** Where the benchmark runs: its own PostgreSQL database and Redis prefix, never the test database. */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/hticket_bench';
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379';
export const BENCH_EMAIL = 'bench-manager@bench.hticket.test';
export const BENCH_PASSWORD = 'bench password 0123';
export const BIG_PROJECT = 'Big board (10,000 tickets)';
/** The big project's ticket with a long timeline (the "details with comments" scenario). */
export const COMMENTED_TICKET_NUMBER = 1;
export const COMMENTS = 200;

export const benchEnv = {
  NODE_ENV: 'production',
  DATABASE_URL: BENCH_DATABASE_URL,
  REDIS_URL: BENCH_REDIS_URL,
  QUEUE_PREFIX: 'hticket-bench',
  SESSION_SECRET: 'bench-secret-that-is-long-enough-0123456789',
  LOGIN_RATE_LIMIT_PER_IP: '100000',
  LOGIN_RATE_LIMIT_PER_ACCOUNT: '100000',
  ENV_FILE: '/nonexistent/.env',
  // Production cookies are Secure: the benchmark plays the TLS-terminating proxy (X-Forwarded-Proto).
  TRUST_PROXY: 'true',
};

export const benchConfig = () => loadConfig(benchEnv);

/** Sent with every request, as the reverse proxy in front of hticket would. */
export const PROXY_HEADERS = { 'x-forwarded-proto': 'https' };

/**
 * How the web process runs in production (`npm start`, the Dockerfile, docker-compose.yml): a
 * young generation of 2 MB semi-spaces instead of V8's 16 MB, and an old generation allowed to
 * grow 30 % past what survived the last full collection instead of up to four times as much under
 * a high allocation rate. Together they keep the resident memory of a busy process under 200 MB
 * with no loss of CPU per request measured (see README, Performance).
 */
export const WEB_NODE_FLAGS = ['--max-semi-space-size=2', '--heap-growing-percent=30'];
