import type { AppConfig } from '../config/app-config';
import type { MailService } from '../mail/mail.service';
import { Clock } from './clock';
import { InvitationMailJob } from './invitation-mail.job';
import { generateToken, hashToken, sealToken } from './invitation-token';

const SECRET = 's'.repeat(40);

/** A pending invitation for `token`, and an UPDATE that claims `claimed` rows. */
function jobWith(token: string, claimed: number) {
  const invitation = {
    id: 'invitation-1',
    email: 'someone@example.test',
    tokenHash: hashToken(token),
    sentAt: null,
    isUsed: false,
    revokedAt: null,
    role: 'MEMBER',
    expiresAt: new Date(Date.now() + 3_600_000),
  };
  const update = jest.fn().mockResolvedValueOnce([claimed]).mockResolvedValue([1]);
  const invitations = { findByPk: jest.fn().mockResolvedValue(invitation), update };
  const mail = { send: jest.fn().mockResolvedValue(undefined) } as unknown as MailService;
  const config = { baseUrl: 'http://localhost', sessionSecret: SECRET, inviteTtlHours: 48 } as AppConfig;
  const job = new InvitationMailJob(invitations as never, {} as never, {} as never, mail, new Clock(), config);
  return { job, mail, update };
}

describe('InvitationMailJob.deliver claims the token before sending', () => {
  it('sends once the claim succeeds, then records the send for that token', async () => {
    const token = generateToken();
    const { job, mail, update } = jobWith(token, 1);
    expect(await job.deliver({ invitationId: 'invitation-1', sealedToken: sealToken(token, SECRET) })).toBe('sent');
    expect(mail.send).toHaveBeenCalledTimes(1);
    expect(update.mock.calls[0][1].where).toMatchObject({
      id: 'invitation-1',
      tokenHash: hashToken(token),
      sentAt: null,
      isUsed: false,
      revokedAt: null,
    });
    const claim = update.mock.calls[0][0];
    expect(claim.expiresAt.getTime() - claim.tokenIssuedAt.getTime()).toBe(48 * 3_600_000);
    expect(update.mock.calls[1][0]).toMatchObject({ sendError: null });
  });

  it('sends nothing when the sweep replaced the token first (the claim matches no row)', async () => {
    const token = generateToken();
    const { job, mail } = jobWith(token, 0);
    expect(await job.deliver({ invitationId: 'invitation-1', sealedToken: sealToken(token, SECRET) })).toBe('skipped');
    expect(mail.send).not.toHaveBeenCalled();
  });
});
