import type { User } from '../../src/accounts/user.model';
import { UsersService } from '../../src/accounts/users.service';
import { NotAllowed } from '../../src/common/errors';
import { MembershipsService } from '../../src/projects/memberships.service';
import type { Project } from '../../src/projects/project.model';
import { Ticket } from '../../src/tickets/ticket.model';
import { TicketsService } from '../../src/tickets/tickets.service';
import { createUser } from '../helpers/factories';
import { createProject } from '../helpers/project-factories';
import { Services, SLOW_SETUP_MS, startServices } from './services';

describe('assignees: who may be assigned, and unassignment when access ends (services)', () => {
  let s: Services;
  let tickets: TicketsService;
  let memberships: MembershipsService;
  let users: UsersService;
  let reporter: User;
  let manager: User;

  beforeAll(async () => {
    s = await startServices();
    tickets = s.get(TicketsService);
    memberships = s.get(MembershipsService);
    users = s.get(UsersService);
    reporter = await createUser(s);
    manager = await createUser(s, { role: 'MANAGER' });
  }, SLOW_SETUP_MS);
  afterAll(() => s.close());

  const assigned = (project: Project, assignee: User, status: 'OPEN' | 'DONE' = 'OPEN') =>
    tickets
      .create(project, reporter, {
        title: `For ${assignee.id}`,
        description: '',
        priority: 'LOW',
        status: 'OPEN',
        assigneeId: assignee.id,
      })
      .then(async (ticket) => (status === 'DONE' ? ticket.update({ status }) : ticket));
  const assigneeOf = async (ticket: Ticket) => (await Ticket.findByPk(ticket.id, { rejectOnEmpty: true })).assigneeId;

  it('defines the people with access as the members and every manager, active accounts only', async () => {
    const member = await createUser(s);
    const outsider = await createUser(s);
    const inactive = await createUser(s);
    const inactiveManager = await createUser(s, { role: 'MANAGER' });
    const project = await createProject({ members: [reporter, member, inactive] });
    await inactive.update({ isActive: false });
    await inactiveManager.update({ isActive: false });

    const ids = (await memberships.peopleWithAccess(project.id)).map((person) => person.id);
    expect(ids).toEqual(expect.arrayContaining([reporter.id, member.id, manager.id]));
    expect(ids).not.toContain(outsider.id);
    expect(ids).not.toContain(inactive.id);
    expect(ids).not.toContain(inactiveManager.id);
    expect(await memberships.hasAccess(project.id, manager.id)).toBe(true);
    expect(await memberships.hasAccess(project.id, outsider.id)).toBe(false);
    expect(await memberships.hasAccess(project.id, 'not-an-id')).toBe(false);
  });

  it('refuses to assign someone without access, on creation and on update, and writes nothing', async () => {
    const outsider = await createUser(s);
    const project = await createProject({ members: [reporter] });
    await expect(
      tickets.create(project, reporter, {
        title: 'Nope',
        description: '',
        priority: 'LOW',
        status: 'OPEN',
        assigneeId: outsider.id,
      }),
    ).rejects.toMatchObject({ reason: 'assignee-without-access' });
    expect(await Ticket.count({ where: { projectId: project.id } })).toBe(0);

    const ticket = await assigned(project, reporter);
    await expect(
      tickets.update(project, ticket.id, { assigneeId: outsider.id, version: ticket.version }, reporter),
    ).rejects.toThrow(NotAllowed);
    expect(await assigneeOf(ticket)).toBe(reporter.id);
    // Keeping an assignee who has lost access (a done ticket keeps them) is not a new assignment.
    await Ticket.update({ assigneeId: outsider.id, status: 'DONE' }, { where: { id: ticket.id } });
    const done = await Ticket.findByPk(ticket.id, { rejectOnEmpty: true });
    expect(
      await tickets.update(
        project,
        ticket.id,
        { assigneeId: outsider.id, title: 'Kept', version: done.version },
        reporter,
      ),
    ).toMatchObject({ ok: true });
    expect(await Ticket.findByPk(ticket.id, { rejectOnEmpty: true })).toMatchObject({
      title: 'Kept',
      assigneeId: outsider.id,
    });
  });

  it('unassigns in one UPDATE, only open tickets, only where access ended, and raises their versions', async () => {
    const member = await createUser(s);
    const lost = await createProject({ members: [member] });
    const kept = await createProject({ members: [member] });
    const open = await assigned(lost, member);
    const done = await assigned(lost, member, 'DONE');
    const elsewhere = await assigned(kept, member);
    const versionBefore = (await Ticket.findByPk(open.id, { rejectOnEmpty: true })).version;

    await memberships.remove(lost, member.id);

    expect(await assigneeOf(open)).toBeNull();
    expect(await assigneeOf(done)).toBe(member.id);
    expect(await assigneeOf(elsewhere)).toBe(member.id);
    expect((await Ticket.findByPk(open.id, { rejectOnEmpty: true })).version).toBe(versionBefore + 1);
  });

  it('is a no-op for someone who still has access, and for a manager anywhere', async () => {
    const member = await createUser(s);
    const project = await createProject({ members: [member] });
    const ticket = await assigned(project, member);
    const managed = await assigned(project, manager);
    await s.sequelize.transaction(async (transaction) => {
      expect(await tickets.unassignWithoutAccess(member.id, transaction)).toBe(0);
      expect(await tickets.unassignWithoutAccess(manager.id, transaction, project.id)).toBe(0);
    });
    expect(await assigneeOf(ticket)).toBe(member.id);
    expect(await assigneeOf(managed)).toBe(manager.id);
  });

  it('unassigns a deactivated account everywhere and a demoted manager outside their projects', async () => {
    const member = await createUser(s);
    const leaving = await createUser(s, { role: 'MANAGER' });
    const theirs = await createProject({ members: [member, leaving] });
    const others = await createProject({ members: [reporter] });
    const memberTicket = await assigned(theirs, member);
    const inTheirs = await assigned(theirs, leaving);
    const inOthers = await assigned(others, leaving);

    await users.deactivate(member.id, manager.id);
    expect(await assigneeOf(memberTicket)).toBeNull();

    await users.changeRole(leaving.id, 'MEMBER');
    expect(await assigneeOf(inTheirs)).toBe(leaving.id);
    expect(await assigneeOf(inOthers)).toBeNull();
  });

  it('rolls the removal, the deactivation and the demotion back when the unassignment fails', async () => {
    const member = await createUser(s);
    const demoted = await createUser(s, { role: 'MANAGER' });
    const project = await createProject({ members: [member] });
    const ticket = await assigned(project, member);
    const managed = await assigned(project, demoted);
    const failing = () => jest.spyOn(tickets, 'unassignWithoutAccess').mockRejectedValueOnce(new Error('disk full'));

    failing();
    await expect(memberships.remove(project, member.id)).rejects.toThrow('disk full');
    expect(await memberships.hasAccess(project.id, member.id)).toBe(true);

    failing();
    await expect(users.deactivate(member.id, manager.id)).rejects.toThrow('disk full');
    expect(await memberships.hasAccess(project.id, member.id)).toBe(true);

    failing();
    await expect(users.changeRole(demoted.id, 'MEMBER')).rejects.toThrow('disk full');
    expect((await users.find(demoted.id)).role).toBe('MANAGER');

    expect(await assigneeOf(ticket)).toBe(member.id);
    expect(await assigneeOf(managed)).toBe(demoted.id);
  });
});
