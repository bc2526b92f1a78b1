import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: the secret that only ever leaves in the email and the join link. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database stores instead of the token: SHA-256, hex (64 characters). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function sealingKey(secret: string): Buffer {
  return createHash('sha256').update(`invitation-token:${secret}`).digest();
}

/**
 * Encrypts a token for the job payload (AES-256-GCM keyed from SESSION_SECRET), so that
 * Redis never holds a usable join link: only the mail job can turn it back into one.
 */
export function sealToken(token: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secret), iv);
  const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The token inside `sealed`, or null when it was not sealed with this secret. */
export function openToken(sealed: string, secret: string): string | null {
  try {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(secret), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
