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

  it('refuses SQLite in production', () => {
    expect(() => loadConfig({ ...production, DATABASE_URL: 'sqlite:./x' })).toThrow(/DATABASE_URL must be a postgres/);
  });

  it('names a malformed number', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
  });
});
