import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

interface Outcome {
  status: number | null;
  stderr: string;
}

/** Runs an entry point the way `npm start` / `npm run worker` would, with only the given environment. */
function run(entry: string, env: Record<string, string>): Promise<Outcome> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', `src/${entry}.ts`], {
    cwd: ROOT,
    // ENV_FILE points nowhere so that a developer's .env cannot fill in what the test leaves out.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ENV_FILE: '/nonexistent/.env', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 90_000,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', (status) => done({ status, stderr: stderr.trim() }));
  });
}

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SESSION_SECRET: 'a-production-secret-that-is-long-enough',
};

const without = (name: string) => Object.fromEntries(Object.entries(production).filter(([key]) => key !== name));

/**
 * Every start-up below compiles the whole application first (ts-node) and is independent of the
 * others, so they all start at once; each test awaits its own.
 */
const startUps = {
  DATABASE_URL: () => run('main', without('DATABASE_URL')),
  REDIS_URL: () => run('main', without('REDIS_URL')),
  SESSION_SECRET: () => run('main', without('SESSION_SECRET')),
  shortSecret: () => run('main', { ...production, SESSION_SECRET: 'too-short' }),
  workerWithoutRedis: () => run('worker', {}),
  unreachableDatabase: () => run('main', { ...production, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' }),
};

describe('start-up configuration checks', () => {
  jest.setTimeout(120_000);
  let outcomes: Record<keyof typeof startUps, Promise<Outcome>>;

  beforeAll(() => {
    outcomes = Object.fromEntries(Object.entries(startUps).map(([name, start]) => [name, start()])) as typeof outcomes;
  });
  // Every one is awaited by its test; this only keeps a failed test from leaving a process behind.
  afterAll(() => Promise.allSettled(Object.values(outcomes)));

  it.each(['DATABASE_URL', 'REDIS_URL', 'SESSION_SECRET'] as const)(
    'stops production without %s with one line naming it',
    async (name) => {
      const result = await outcomes[name];
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(`Configuration error: ${name} is required when NODE_ENV=production`);
    },
  );

  it('stops production with a short session secret', async () => {
    const result = await outcomes.shortSecret;
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('Configuration error: SESSION_SECRET must be at least 32 characters long');
  });

  it('refuses to start a worker without Redis', async () => {
    const result = await outcomes.workerWithoutRedis;
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the worker needs REDIS_URL');
  });

  it('names the database when it cannot be reached', async () => {
    const result = await outcomes.unreachableDatabase;
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n').pop()).toMatch(/^Cannot reach the database \(DATABASE_URL\)/);
  });
});
