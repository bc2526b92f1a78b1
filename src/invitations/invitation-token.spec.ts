import { createHash } from 'node:crypto';
import { generateToken, hashToken, openToken, sealToken } from './invitation-token';

describe('invitation tokens', () => {
  it('are 256 random bits in base64url', () => {
    const token = generateToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('never repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateToken));
    expect(tokens.size).toBe(1000);
  });

  it('are stored as their SHA-256 in hex', () => {
    const token = generateToken();
    expect(hashToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toContain(token);
    expect(hashToken(generateToken())).not.toBe(hashToken(token));
  });

  it('travel sealed: only the same secret opens them, and tampering is detected', () => {
    const token = generateToken();
    const sealed = sealToken(token, 'secret one');
    expect(sealed).not.toContain(token);
    expect(openToken(sealed, 'secret one')).toBe(token);
    expect(openToken(sealed, 'secret two')).toBeNull();
    const tampered = Buffer.from(sealed, 'base64url');
    tampered[tampered.length - 1] ^= 1;
    expect(openToken(tampered.toString('base64url'), 'secret one')).toBeNull();
    expect(openToken('garbage', 'secret one')).toBeNull();
  });
});
