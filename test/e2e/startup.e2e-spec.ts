import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** Runs an entry point the way `npm start` / `npm run worker` would, with only the given environment. */
function run(entry: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', `src/${entry}.ts`], {
    cwd: ROOT,
    // ENV_FILE points nowhere so that a developer's .env cannot fill in what the test leaves out.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ENV_FILE: '/nonexistent/.env', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stderr: result.stderr.trim(), stdout: result.stdout };
}

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SESSION_SECRET: 'a-production-secret-that-is-long-enough',
};

describe('start-up configuration checks', () => {
  jest.setTimeout(120_000);

  it.each(['DATABASE_URL', 'REDIS_URL', 'SESSION_SECRET'])(
    'stops production without %s with one line naming it',
    (name) => {
      const env: Record<string, string> = { ...production };
      delete env[name];
      const result = run('main', env);
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(`Configuration error: ${name} is required when NODE_ENV=production`);
    },
  );

  it('stops production with a short session secret', () => {
    const result = run('main', { ...production, SESSION_SECRET: 'too-short' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('Configuration error: SESSION_SECRET must be at least 32 characters long');
  });

  it('refuses to start a worker without Redis', () => {
    const result = run('worker', {});
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the worker needs REDIS_URL');
  });

  it('names the database when it cannot be reached', () => {
    const result = run('main', { ...production, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n').pop()).toMatch(/^Cannot reach the database \(DATABASE_URL\)/);
  });
});
