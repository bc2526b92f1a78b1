import { Op } from 'sequelize';
import { User } from '../../src/accounts/user.model';
import { Clock } from '../../src/invitations/clock';
import { RESEND_COOLDOWN_MS } from '../../src/invitations/invitation-rules';
import { hashToken } from '../../src/invitations/invitation-token';
import { Invitation } from '../../src/invitations/invitation.model';
import { InvitationsService } from '../../src/invitations/invitations.service';
import { JoinService } from '../../src/invitations/join.service';
import { ProjectMember } from '../../src/projects/project-member.model';
import { createUser, TEST_PASSWORD, uniqueEmail } from '../helpers/factories';
import { createProject } from '../helpers/project-factories';
import { Services, SLOW_SETUP_MS, startServices } from './services';

describe('invitations (services)', () => {
  let s: Services;
  let invitations: InvitationsService;
  let join: JoinService;
  let manager: User;

  beforeAll(async () => {
    s = await startServices();
    invitations = s.get(InvitationsService);
    join = s.get(JoinService);
    manager = await createUser(s, { role: 'MANAGER' });
  }, SLOW_SETUP_MS);
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => s.close());

  const invite = async (email = uniqueEmail('invitee'), projectId?: string) => {
    const outcome = await invitations.invite(manager, { email, projectId, role: 'MEMBER' });
    if (outcome.kind !== 'invited' && outcome.kind !== 'resent') throw new Error(`unexpected ${outcome.kind}`);
    return outcome.invitation;
  };
  /** A fresh token for the invitation, as "copy link" hands it out. */
  const tokenOf = async (id: string) => (await invitations.copyLink(id))!.split('/join/')[1];
  const later = (ms: number) => jest.spyOn(s.get(Clock), 'now').mockReturnValue(new Date(Date.now() + ms));

  it('issues one pending invitation per email and project, renewing its token when invited again', async () => {
    const email = uniqueEmail('twice');
    const first = await invite(email);
    const again = await invitations.invite(manager, { email, role: 'MEMBER' });
    expect(again).toMatchObject({ kind: 'resent', invitation: { id: first.id } });
    expect(await Invitation.count({ where: { email } })).toBe(1);
    expect((await Invitation.findByPk(first.id))!.tokenHash).not.toBe(first.tokenHash);
  });

  it('adds an existing account to the project instead of inviting it, once', async () => {
    const person = await createUser(s);
    const project = await createProject();
    expect(
      await invitations.invite(manager, { email: person.email, projectId: project.id, role: 'MEMBER' }),
    ).toMatchObject({ kind: 'added' });
    expect(await ProjectMember.count({ where: { projectId: project.id, userId: person.id } })).toBe(1);
    expect(await invitations.invite(manager, { email: person.email, projectId: project.id, role: 'MEMBER' })).toEqual({
      kind: 'already-member',
    });
  });

  it('resends at most once per cooldown, then again after it', async () => {
    const invitation = await invite();
    expect(await invitations.resend(invitation.id, manager)).toMatchObject({ kind: 'too-soon' });
    later(RESEND_COOLDOWN_MS + 1000);
    expect(await invitations.resend(invitation.id, manager)).toMatchObject({ kind: 'resent' });
  });

  it('revokes once; a revoked invitation can neither be resent nor accepted', async () => {
    const invitation = await invite();
    const token = await tokenOf(invitation.id);
    expect(await invitations.revoke(invitation.id)).toBe(true);
    expect(await invitations.revoke(invitation.id)).toBe(false);
    expect(await invitations.resend(invitation.id, manager)).toEqual({ kind: 'closed', state: 'revoked' });
    expect(await join.join(token, { name: 'Late', password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD })).toEqual({
      kind: 'closed',
      status: 'revoked',
    });
  });

  it('revokes the pending invitations of a sender or a project, and only those', async () => {
    const project = await createProject();
    const intoProject = await invite(uniqueEmail('a'), project.id);
    const elsewhere = await invite();
    expect(await invitations.revokePending({ projectId: project.id })).toBe(1);
    expect((await Invitation.findByPk(intoProject.id))!.revokedAt).not.toBeNull();
    expect((await Invitation.findByPk(elsewhere.id))!.revokedAt).toBeNull();
  });

  it(
    'accepts an invitation: the account gets the email and role, joins the project, and the link is used up',
    async () => {
      const project = await createProject();
      const email = uniqueEmail('joiner');
      const invitation = await invite(email, project.id);
      const token = await tokenOf(invitation.id);

      const outcome = await join.join(token, {
        name: 'New Person',
        password: TEST_PASSWORD,
        confirmPassword: TEST_PASSWORD,
      });

      if (outcome.kind !== 'joined') throw new Error(`unexpected ${outcome.kind}`);
      expect(outcome.user).toMatchObject({ email, role: 'MEMBER', name: 'New Person' });
      expect(await ProjectMember.count({ where: { projectId: project.id, userId: outcome.user.id } })).toBe(1);
      expect((await Invitation.findOne({ where: { tokenHash: hashToken(token) } }))!.isUsed).toBe(true);
      expect(
        await join.join(token, { name: 'Again', password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD }),
      ).toEqual({
        kind: 'closed',
        status: 'has-account',
      });
    },
    SLOW_SETUP_MS,
  );

  it(
    'lets exactly one of two simultaneous accepts of one link create an account',
    async () => {
      const email = uniqueEmail('race');
      const token = await tokenOf((await invite(email)).id);
      const form = { name: 'Racer', password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD };

      const outcomes = await Promise.all([join.join(token, form), join.join(token, form)]);

      expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(['closed', 'joined']);
      expect(await User.count({ where: { email } })).toBe(1);
    },
    SLOW_SETUP_MS,
  );

  it(
    'refuses an invitation for an email that has an account meanwhile (the way in is to sign in), changing nothing',
    async () => {
      const email = uniqueEmail('taken');
      const invitation = await invite(email);
      const token = await tokenOf(invitation.id);
      await createUser(s, { email });

      expect(await join.join(token, { name: 'Twin', password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD })).toEqual(
        { kind: 'closed', status: 'has-account' },
      );
      expect((await Invitation.findByPk(invitation.id))!.isUsed).toBe(false);
      expect(await User.count({ where: { email: { [Op.eq]: email } } })).toBe(1);
    },
    SLOW_SETUP_MS,
  );
});
