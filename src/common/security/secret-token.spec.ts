import { generateToken, openToken, sealToken } from './secret-token';

describe('sealed tokens', () => {
  it('open only for the purpose they were sealed for', () => {
    const token = generateToken();
    const sealed = sealToken(token, 'the secret', 'password-reset');
    expect(openToken(sealed, 'the secret', 'password-reset')).toBe(token);
    expect(openToken(sealed, 'the secret', 'invitation-token')).toBeNull();
  });
});
