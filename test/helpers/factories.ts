import { randomUUID } from 'node:crypto';
import { AccountsService } from '../../src/accounts/accounts.service';
import type { Role, User } from '../../src/accounts/user.model';
import type { TestApp } from './test-app';

export const TEST_PASSWORD = 'correct horse battery';

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

export async function createUser(
  app: Pick<TestApp, 'get'>,
  options: { role?: Role; email?: string; name?: string; password?: string } = {},
): Promise<User> {
  return app.get(AccountsService).createUser({
    email: options.email ?? uniqueEmail(options.role === 'MANAGER' ? 'manager' : 'member'),
    name: options.name ?? '',
    password: options.password ?? TEST_PASSWORD,
    role: options.role ?? 'MEMBER',
  });
}
