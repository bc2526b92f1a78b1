import { randomUUID } from 'node:crypto';
import { AccountsService, normalizeEmail } from '../../src/accounts/accounts.service';
import { PasswordHasher } from '../../src/accounts/passwords';
import { User, type Role } from '../../src/accounts/user.model';
import type { TestApp } from './test-app';

export const TEST_PASSWORD = 'correct horse battery';

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

/** The real argon2id hash of TEST_PASSWORD, computed once per app (at the cost the app's configuration says). */
const testPasswordHashes = new WeakMap<PasswordHasher, Promise<string>>();

export function testPasswordHash(app: Pick<TestApp, 'get'>): Promise<string> {
  const hasher = app.get(PasswordHasher);
  if (!testPasswordHashes.has(hasher)) testPasswordHashes.set(hasher, hasher.hash(TEST_PASSWORD));
  return testPasswordHashes.get(hasher)!;
}

/** A user with TEST_PASSWORD (stored as a real hash) or, through AccountsService, another password. */
export async function createUser(
  app: Pick<TestApp, 'get'>,
  options: { role?: Role; email?: string; name?: string; password?: string } = {},
): Promise<User> {
  const fields = {
    email: options.email ?? uniqueEmail(options.role === 'MANAGER' ? 'manager' : 'member'),
    name: options.name ?? '',
    role: options.role ?? 'MEMBER',
  };
  if (options.password !== undefined && options.password !== TEST_PASSWORD) {
    return app.get(AccountsService).createUser({ ...fields, password: options.password });
  }
  return User.create({ ...fields, email: normalizeEmail(fields.email), passwordHash: await testPasswordHash(app) });
}
