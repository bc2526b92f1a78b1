import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('gives the embedded defaults with no configuration', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe('sqlite:./data/hticket.sqlite');
    expect(config.port).toBe(3000);
    expect(config.redisUrl).toBeNull();
    expect(config.smtpUrl).toBeNull();
    expect(config.inviteTtlHours).toBe(48);
    expect(config.isProduction).toBe(false);
  });

  const production = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://db/hticket',
    REDIS_URL: 'redis://redis:6379',
    SESSION_SECRET: 'x'.repeat(32),
  };

  it('accepts a complete production configuration', () => {
    expect(loadConfig(production).isProduction).toBe(true);
  });

  it.each(['DATABASE_URL', 'REDIS_URL', 'SESSION_SECRET'])('stops production without %s, naming it', (name) => {
    const env: Record<string, string> = { ...production };
    delete env[name];
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Configuration error: ${name} is required`));
  });

  it('refuses a short session secret', () => {
    expect(() => loadConfig({ ...production, SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET must be at least 32/);
  });

  it.each([
    ['the development default', 'development-only-secret-change-me-in-production'],
    ["docker-compose.yml's placeholder", 'change-me-to-at-least-32-random-characters'],
    ['any value that still says change me', 'please-CHANGE_ME-0123456789abcdef0123456789'],
  ])('refuses %s as the session secret in production, with a clear message', (_label, secret) => {
    expect(() => loadConfig({ ...production, SESSION_SECRET: secret })).toThrow(
      /^Configuration error: SESSION_SECRET is a published example value; set it to 32\+ random characters/,
    );
  });

  it('ships no session secret: docker-compose.yml demands one, .env.example leaves it empty', () => {
    const root = resolve(__dirname, '..', '..');
    const compose = readFileSync(resolve(root, 'docker-compose.yml'), 'utf8');
    expect(compose).toMatch(/^\s+SESSION_SECRET: \$\{SESSION_SECRET:\?[^}]+\}$/m);
    expect(readFileSync(resolve(root, '.env.example'), 'utf8')).toMatch(/^# SESSION_SECRET=$/m);
  });

  it('keeps the development default outside production', () => {
    expect(loadConfig({}).sessionSecret).toBe('development-only-secret-change-me-in-production');
  });

  it('takes ADMIN_EMAIL only as a plain address that mail goes to as written', () => {
    expect(loadConfig({ ADMIN_EMAIL: 'Admin@Example.com' }).adminEmail).toBe('admin@example.com');
    for (const email of ['"<x>"@example.com', 'Admin <admin@example.com>', 'a@example.com,b@example.com'])
      expect(() => loadConfig({ ADMIN_EMAIL: email })).toThrow(/ADMIN_EMAIL must be a plain email address/);
  });

  it('refuses SQLite in production', () => {
    expect(() => loadConfig({ ...production, DATABASE_URL: 'sqlite:./x' })).toThrow(/DATABASE_URL must be a postgres/);
  });

  it('hashes passwords at the standard cost unless a test run asks for the minimal one', () => {
    expect(loadConfig({}).passwordHashCost).toBe('standard');
    expect(loadConfig(production).passwordHashCost).toBe('standard');
    expect(loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_COST: 'minimal' }).passwordHashCost).toBe('minimal');
    for (const env of [{}, production, { NODE_ENV: 'development' }])
      expect(() => loadConfig({ ...env, PASSWORD_HASH_COST: 'minimal' })).toThrow(
        /PASSWORD_HASH_COST=minimal is for test runs/,
      );
    expect(() => loadConfig({ PASSWORD_HASH_COST: 'cheap' })).toThrow(/PASSWORD_HASH_COST/);
  });

  it('names a malformed number', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
  });
});
