import { randomUUID } from 'node:crypto';
import { Sequelize } from 'sequelize-typescript';
import { MODELS } from '../database/models';
import { createMigrator } from '../database/migrator';
import { Invitation } from './invitation.model';
import {
  cleanupWhere,
  expiryFrom,
  invitationState,
  InvitationFacts,
  isExpired,
  resendWaitMs,
  sweepWhere,
} from './invitation-rules';
import { generateToken, hashToken } from './invitation-token';

const NOW = new Date('2030-01-10T12:00:00.000Z');
const HOUR = 3_600_000;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

describe('expiry arithmetic', () => {
  it('expires TTL hours after issue', () => {
    expect(expiryFrom(NOW, 48).toISOString()).toBe('2030-01-12T12:00:00.000Z');
    expect(expiryFrom(NOW, 1).getTime() - NOW.getTime()).toBe(HOUR);
  });

  it('is expired from the expiry instant on, not before', () => {
    expect(isExpired({ expiresAt: at(1) }, NOW)).toBe(false);
    expect(isExpired({ expiresAt: NOW }, NOW)).toBe(true);
    expect(isExpired({ expiresAt: at(-1) }, NOW)).toBe(true);
  });

  it('lets a resend through once a minute has passed since the token was issued', () => {
    expect(resendWaitMs(null, NOW)).toBe(0);
    expect(resendWaitMs(at(-10_000), NOW)).toBe(50_000);
    expect(resendWaitMs(at(-60_000), NOW)).toBe(0);
  });
});

describe('invitation state', () => {
  const base: InvitationFacts = { isUsed: false, revokedAt: null, expiresAt: at(HOUR), sentAt: null, sendError: null };
  it.each<[Partial<InvitationFacts>, string]>([
    [{}, 'queued'],
    [{ sentAt: NOW }, 'sent'],
    [{ sendError: 'connection refused' }, 'failed'],
    [{ sentAt: NOW, expiresAt: at(-1) }, 'expired'],
    [{ revokedAt: NOW, sentAt: NOW }, 'revoked'],
    [{ isUsed: true, revokedAt: NOW, expiresAt: at(-1) }, 'used'],
  ])('%p is %s', (facts, state) => {
    expect(invitationState({ ...base, ...facts }, NOW)).toBe(state);
  });
});

describe('cleanup and sweep selection (on a migrated in-memory database)', () => {
  let sequelize: Sequelize;

  beforeAll(async () => {
    sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false, models: MODELS });
    await createMigrator(sequelize).up();
  });
  afterAll(() => sequelize.close());

  const make = (label: string, fields: Partial<Invitation>) =>
    Invitation.create({
      email: `${label}@example.test`,
      tokenHash: hashToken(generateToken()),
      role: 'MEMBER',
      expiresAt: at(HOUR),
      tokenIssuedAt: at(-2 * 60_000),
      id: randomUUID(),
      ...fields,
    });

  it('deletes only unused invitations that expired more than the retention period ago', async () => {
    const DAY = 24 * HOUR;
    await make('old-unused', { expiresAt: at(-8 * DAY) });
    await make('old-revoked', { expiresAt: at(-8 * DAY), revokedAt: at(-9 * DAY) });
    await make('old-used', { expiresAt: at(-8 * DAY), isUsed: true, usedAt: at(-9 * DAY) });
    await make('recently-expired', { expiresAt: at(-6 * DAY) });
    await make('valid', {});
    const selected = await Invitation.findAll({ where: cleanupWhere(NOW, 7) });
    expect(selected.map((i) => i.email.split('@')[0]).sort()).toEqual(['old-revoked', 'old-unused']);
  });

  it('re-sends only usable invitations still pending a minute after their token was issued', async () => {
    await Invitation.destroy({ where: {} });
    await make('pending', {});
    await make('just-issued', { tokenIssuedAt: at(-5_000) });
    await make('sent', { sentAt: at(-60_000) });
    await make('failed', { sendError: 'mailbox unavailable' });
    await make('revoked', { revokedAt: at(-1) });
    await make('expired', { expiresAt: at(-1) });
    await make('used', { isUsed: true });
    await Invitation.create({
      email: '',
      tokenHash: hashToken(generateToken()),
      expiresAt: at(HOUR),
      tokenIssuedAt: at(-HOUR),
    });
    const selected = await Invitation.findAll({ where: sweepWhere(NOW) });
    expect(selected.map((i) => i.email.split('@')[0])).toEqual(['pending']);
  });
});
