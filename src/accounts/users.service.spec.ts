import { NotAllowed } from '../common/errors';
import type { User } from './user.model';
import { assertNotLastManager } from './users.service';

describe('assertNotLastManager', () => {
  const user = (id: string) => ({ id }) as User;

  it('refuses when the user is the only active manager', () => {
    expect(() => assertNotLastManager(user('a'), ['a'])).toThrow(NotAllowed);
    expect(() => assertNotLastManager(user('a'), ['a'])).toThrow(new NotAllowed('last-manager'));
  });

  it('allows it when another active manager remains', () => {
    expect(() => assertNotLastManager(user('a'), ['a', 'b'])).not.toThrow();
  });

  it('allows changes to people who are not active managers', () => {
    expect(() => assertNotLastManager(user('m'), ['a'])).not.toThrow();
    expect(() => assertNotLastManager(user('m'), [])).not.toThrow();
  });
});
