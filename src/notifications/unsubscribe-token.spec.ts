import { randomUUID } from 'node:crypto';
import { readUnsubscribeToken, unsubscribeToken } from './unsubscribe-token';

describe('unsubscribe tokens', () => {
  const secret = 's'.repeat(32);
  const asked = { userId: randomUUID(), kinds: ['commented' as const, 'mentioned' as const] };

  it('reads back what was signed', () => {
    expect(readUnsubscribeToken(unsubscribeToken(asked, secret), secret)).toEqual(asked);
  });

  it('refuses a token signed with another secret, altered, or malformed', () => {
    const token = unsubscribeToken(asked, secret);
    expect(readUnsubscribeToken(token, 't'.repeat(32))).toBeNull();
    const [, signed] = token.split('.');
    const other = Buffer.from(`${randomUUID()}:commented`).toString('base64url');
    expect(readUnsubscribeToken(`${other}.${signed}`, secret)).toBeNull();
    expect(readUnsubscribeToken(`${token}x`, secret)).toBeNull();
    expect(readUnsubscribeToken('nonsense', secret)).toBeNull();
    expect(readUnsubscribeToken(`${token}.more`, secret)).toBeNull();
  });
});
