import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: a secret that only ever leaves in an email or a link. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database stores instead of the token: SHA-256, hex (64 characters). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** One key per purpose, so that a token sealed for one kind of job never opens as another. */
function sealingKey(secret: string, purpose: string): Buffer {
  return createHash('sha256').update(`${purpose}:${secret}`).digest();
}

/**
 * Encrypts a token for a job payload (AES-256-GCM keyed from SESSION_SECRET), so that Redis
 * never holds a usable link: only the mail job can turn it back into one.
 */
export function sealToken(token: string, secret: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secret, purpose), iv);
  const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The token inside `sealed`, or null when it was not sealed with this secret for this purpose. */
export function openToken(sealed: string, secret: string, purpose: string): string | null {
  try {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(secret, purpose), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
