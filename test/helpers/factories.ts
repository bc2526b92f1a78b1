import { randomUUID } from 'node:crypto';
import { AccountsService, normalizeEmail } from '../../src/accounts/accounts.service';
import { hashPassword } from '../../src/accounts/passwords';
import { User, type Role } from '../../src/accounts/user.model';
import type { TestApp } from './test-app';

export const TEST_PASSWORD = 'correct horse battery';

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

/** The real argon2id hash of TEST_PASSWORD, computed once: each hash costs a few hundred ms. */
let testPasswordHash: Promise<string> | undefined;

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
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  return User.create({ ...fields, email: normalizeEmail(fields.email), passwordHash: await testPasswordHash });
}
