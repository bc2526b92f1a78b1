import * as secretToken from '../common/security/secret-token';

export { generateToken, hashToken } from '../common/security/secret-token';

/** The key purpose of invitation jobs (unchanged, so that jobs queued before an upgrade still open). */
const PURPOSE = 'invitation-token';

export const sealToken = (token: string, secret: string): string => secretToken.sealToken(token, secret, PURPOSE);

export const openToken = (sealed: string, secret: string): string | null =>
  secretToken.openToken(sealed, secret, PURPOSE);
