import { randomUUID } from 'node:crypto';
import { Op } from 'sequelize';
import { Session } from '../../src/accounts/session.model';
import { User } from '../../src/accounts/user.model';
import { UsersService } from '../../src/accounts/users.service';
import { NotAllowed, NotFound } from '../../src/common/errors';
import { Invitation } from '../../src/invitations/invitation.model';
import { InvitationsService } from '../../src/invitations/invitations.service';
import { MembershipsService } from '../../src/projects/memberships.service';
import { ProjectMember } from '../../src/projects/project-member.model';
import { createUser, uniqueEmail } from '../helpers/factories';
import { createProject } from '../helpers/project-factories';
import { Services, SLOW_SETUP_MS, startServices } from './services';

describe('accounts and memberships (services)', () => {
  let s: Services;
  let users: UsersService;
  let manager: User;

  beforeAll(async () => {
    s = await startServices();
    users = s.get(UsersService);
    manager = await createUser(s, { role: 'MANAGER' });
  }, SLOW_SETUP_MS);
  afterAll(() => s.close());

  const sessionOf = (user: User) =>
    Session.create({ sid: randomUUID(), userId: user.id, expires: new Date(Date.now() + 3_600_000), data: '{}' });

  it('deactivation ends every session and revokes the invitations the person sent, in one transaction', async () => {
    const leaving = await createUser(s, { role: 'MANAGER' });
    await sessionOf(leaving);
    await sessionOf(leaving);
    const sent = await s.get(InvitationsService).invite(leaving, { email: uniqueEmail('their'), role: 'MEMBER' });
    if (sent.kind !== 'invited') throw new Error(`unexpected ${sent.kind}`);

    const result = await users.deactivate(leaving.email, manager.id);

    expect(result.sessionsEnded).toBe(2);
    expect((await User.findByPk(leaving.id))!.isActive).toBe(false);
    expect(await Session.count({ where: { userId: leaving.id } })).toBe(0);
    expect((await Invitation.findByPk(sent.invitation.id))!.revokedAt).not.toBeNull();
  });

  it('keeps sessions and invitations when the revocation fails', async () => {
    const leaving = await createUser(s, { role: 'MANAGER' });
    await sessionOf(leaving);
    jest.spyOn(s.get(InvitationsService), 'revokePending').mockRejectedValueOnce(new Error('lost connection'));

    await expect(users.deactivate(leaving.email, manager.id)).rejects.toThrow('lost connection');

    expect((await User.findByPk(leaving.id))!.isActive).toBe(true);
    expect(await Session.count({ where: { userId: leaving.id } })).toBe(1);
  });

  it('never deactivates oneself nor the last active manager', async () => {
    await expect(users.deactivate(manager.email, manager.id)).rejects.toMatchObject({ reason: 'self-deactivation' });

    const others = await User.findAll({ where: { role: 'MANAGER', isActive: true, id: { [Op.ne]: manager.id } } });
    await User.update({ isActive: false }, { where: { id: others.map((user) => user.id) } });
    try {
      await expect(users.deactivate(manager.email)).rejects.toThrow(NotAllowed);
      await expect(users.changeRole(manager.email, 'MEMBER')).rejects.toMatchObject({ reason: 'last-manager' });
      expect((await User.findByPk(manager.id))!).toMatchObject({ isActive: true, role: 'MANAGER' });
    } finally {
      await User.update({ isActive: true }, { where: { id: others.map((user) => user.id) } });
    }
  });

  it('answers NotFound for unknown people', async () => {
    await expect(users.deactivate(uniqueEmail('nobody'))).rejects.toThrow(NotFound);
    await expect(users.findById('not-a-uuid')).rejects.toMatchObject({ subject: 'user' });
  });

  it('adds active people once, removes members, and refuses the rest', async () => {
    const memberships = s.get(MembershipsService);
    const person = await createUser(s, { name: 'Member To Be' });
    const inactive = await createUser(s);
    await inactive.update({ isActive: false });
    const project = await createProject();

    expect((await memberships.candidates(project)).map((user) => user.id)).toEqual(expect.arrayContaining([person.id]));
    await memberships.add(project, person.id);
    expect((await memberships.candidates(project)).map((user) => user.id)).not.toContain(person.id);
    await expect(memberships.add(project, person.id)).rejects.toMatchObject({
      reason: 'already-member',
      about: 'Member To Be',
    });
    await expect(memberships.add(project, inactive.id)).rejects.toMatchObject({
      problems: { userId: 'not-a-candidate' },
    });

    await memberships.remove(project, person.id);
    expect(await ProjectMember.count({ where: { projectId: project.id, userId: person.id } })).toBe(0);
    await expect(memberships.remove(project, person.id)).rejects.toMatchObject({ subject: 'member' });
  });
});
