import { User } from '../../src/accounts/user.model';
import { NotAllowed, NotFound } from '../../src/common/errors';
import { Invitation } from '../../src/invitations/invitation.model';
import { InvitationsService } from '../../src/invitations/invitations.service';
import { Project } from '../../src/projects/project.model';
import { ProjectsService } from '../../src/projects/projects.service';
import { Ticket } from '../../src/tickets/ticket.model';
import { TicketsService } from '../../src/tickets/tickets.service';
import { createUser, uniqueEmail } from '../helpers/factories';
import { createProject } from '../helpers/project-factories';
import { Services, SLOW_SETUP_MS, startServices } from './services';

describe('tickets and projects (services)', () => {
  let s: Services;
  let tickets: TicketsService;
  let reporter: User;
  let other: User;
  let manager: User;
  let project: Project;

  beforeAll(async () => {
    s = await startServices();
    tickets = s.get(TicketsService);
    reporter = await createUser(s);
    other = await createUser(s);
    manager = await createUser(s, { role: 'MANAGER' });
    project = await createProject({ members: [reporter, other] });
  }, SLOW_SETUP_MS);
  afterAll(() => s.close());

  const newTicket = (title = 'A ticket') =>
    tickets.create(project, reporter, { title, description: 'First words', priority: 'LOW', status: 'OPEN' });

  it('numbers tickets per project without gaps', async () => {
    const first = await newTicket();
    const second = await newTicket();
    expect(second.number).toBe(first.number + 1);
  });

  it('refuses a stale edit of a field someone else changed, and writes nothing', async () => {
    const ticket = await newTicket('Original');
    const seen = ticket.version;
    expect(await tickets.update(project, ticket.id, { title: 'Theirs', version: seen }, other)).toMatchObject({
      ok: true,
    });

    const stale = await tickets.update(
      project,
      ticket.id,
      { title: 'Mine', baseTitle: 'Original', version: seen },
      reporter,
    );
    expect(stale).toMatchObject({ ok: false, conflicts: ['title'] });
    expect((await Ticket.findByPk(ticket.id))!.title).toBe('Theirs');
  });

  it('applies a stale edit that touches only fields the other save left alone', async () => {
    const ticket = await newTicket('Shared');
    const seen = ticket.version;
    await tickets.update(project, ticket.id, { title: 'Renamed', version: seen }, other);

    const result = await tickets.update(
      project,
      ticket.id,
      {
        title: 'Shared',
        baseTitle: 'Shared',
        status: 'DONE',
        baseStatus: 'OPEN',
        version: seen,
      },
      reporter,
    );
    expect(result).toMatchObject({ ok: true });
    const stored = (await Ticket.findByPk(ticket.id))!;
    expect([stored.title, stored.status]).toEqual(['Renamed', 'DONE']);
  });

  it('does not find a ticket through another project', async () => {
    const ticket = await newTicket();
    const elsewhere = await createProject({ members: [reporter] });
    await expect(tickets.find(elsewhere, ticket.id)).rejects.toThrow(NotFound);
    await expect(tickets.find(project, 'not-a-uuid')).rejects.toMatchObject({ subject: 'ticket' });
  });

  it('lets only the reporter and managers delete a ticket', async () => {
    const ticket = await newTicket();
    await expect(tickets.delete(project, ticket.id, other)).rejects.toThrow(NotAllowed);
    expect(await Ticket.findByPk(ticket.id)).not.toBeNull();
    await tickets.delete(project, ticket.id, manager);
    expect(await Ticket.findByPk(ticket.id)).toBeNull();
  });

  it('deletes a project with its tickets and revokes the invitations into it, in one transaction', async () => {
    const doomed = await createProject({ members: [reporter] });
    await tickets.create(doomed, reporter, { title: 'Goes too', description: '', priority: 'LOW', status: 'OPEN' });
    const invited = await s.get(InvitationsService).invite(manager, {
      email: uniqueEmail('invitee'),
      projectId: doomed.id,
      role: 'MEMBER',
    });
    if (invited.kind !== 'invited') throw new Error(`unexpected ${invited.kind}`);
    const projects = s.get(ProjectsService);
    await doomed.reload(); // the ticket counters are kept by the database
    expect(await projects.deletionImpact(doomed)).toEqual({ tickets: 1, pendingInvitations: 1 });

    await projects.remove(doomed);

    expect(await Project.findByPk(doomed.id)).toBeNull();
    expect(await Ticket.count({ where: { projectId: doomed.id } })).toBe(0);
    const invitation = (await Invitation.findByPk(invited.invitation.id))!;
    expect(invitation.revokedAt).not.toBeNull();
    expect(invitation.projectId).toBeNull();
  });

  it('rolls back the tickets and the revocations when the project row cannot be deleted', async () => {
    const kept = await createProject({ members: [reporter] });
    await tickets.create(kept, reporter, { title: 'Stays', description: '', priority: 'LOW', status: 'OPEN' });
    const invited = await s.get(InvitationsService).invite(manager, {
      email: uniqueEmail('invitee'),
      projectId: kept.id,
      role: 'MEMBER',
    });
    if (invited.kind !== 'invited') throw new Error(`unexpected ${invited.kind}`);
    jest.spyOn(kept, 'destroy').mockRejectedValueOnce(new Error('disk full'));

    await expect(s.get(ProjectsService).remove(kept)).rejects.toThrow('disk full');

    expect(await Ticket.count({ where: { projectId: kept.id } })).toBe(1);
    expect((await Invitation.findByPk(invited.invitation.id))!.revokedAt).toBeNull();
  });
});
