import { loadConfig } from '../config/load-config';
import { PasswordHasher } from './passwords';

describe('PasswordHasher', () => {
  const standard = new PasswordHasher(loadConfig({}));
  const minimal = new PasswordHasher(loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_COST: 'minimal' }));

  it('hashes with argon2id at the OWASP-recommended cost by default', async () => {
    expect(await standard.hash('a long enough password')).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$/);
  });

  it('hashes with the smallest argon2id cost when configured for a test run', async () => {
    expect(await minimal.hash('a long enough password')).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
  });

  it('verifies a hash of either cost, whatever its own configuration', async () => {
    const hash = await minimal.hash('a long enough password');
    expect(await standard.verify(hash, 'a long enough password')).toBe(true);
    expect(await standard.verify(hash, 'another password')).toBe(false);
    expect(await standard.verify('not a hash', 'a long enough password')).toBe(false);
    expect(await minimal.verifyAgainstDummy('a long enough password')).toBe(false);
  });
});
