import type { User } from '../../src/accounts/user.model';
import { UsersService } from '../../src/accounts/users.service';
import { CommentsService } from '../../src/comments/comments.service';
import { Comment } from '../../src/comments/comment.model';
import { Notification } from '../../src/notifications/notification.model';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { MembershipsService } from '../../src/projects/memberships.service';
import type { Project } from '../../src/projects/project.model';
import { ProjectsService } from '../../src/projects/projects.service';
import { Ticket } from '../../src/tickets/ticket.model';
import { TicketsService } from '../../src/tickets/tickets.service';
import { createUser } from '../helpers/factories';
import { createProject } from '../helpers/project-factories';
import { Services, SLOW_SETUP_MS, startServices } from './services';

describe('notifications: who is told what, in the change transaction (services)', () => {
  let s: Services;
  let tickets: TicketsService;
  let comments: CommentsService;
  let reporter: User;
  let assignee: User;
  let other: User;
  let manager: User;
  let project: Project;

  beforeAll(async () => {
    s = await startServices();
    tickets = s.get(TicketsService);
    comments = s.get(CommentsService);
    reporter = await createUser(s);
    assignee = await createUser(s);
    other = await createUser(s);
    manager = await createUser(s, { role: 'MANAGER' });
    project = await createProject({ members: [reporter, assignee, other] });
  }, SLOW_SETUP_MS);
  afterAll(() => s.close());

  const newTicket = (by: User = reporter, assigneeId?: string, where: Project = project) =>
    tickets.create(where, by, { title: 'Told', description: '', priority: 'LOW', status: 'OPEN', assigneeId });
  const versionOf = async (ticket: Ticket) => (await Ticket.findByPk(ticket.id, { rejectOnEmpty: true })).version;
  /** [recipient, kind, actor, detail] of a ticket's notifications, in a stable order. */
  const told = async (ticket: Ticket) =>
    (await Notification.findAll({ where: { ticketId: ticket.id } }))
      .map((row) => [row.recipientId, row.kind, row.actorId, row.detail])
      .sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`));
  const sorted = (rows: (string | null)[][]) =>
    [...rows].sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`));

  it('tells a person assigned by someone else, at creation and by an edit, and nobody who assigns themselves', async () => {
    const created = await newTicket(reporter, assignee.id);
    expect(await told(created)).toEqual([[assignee.id, 'assigned', reporter.id, null]]);

    const selfAssigned = await newTicket(assignee, assignee.id);
    expect(await told(selfAssigned)).toEqual([]);

    const edited = await newTicket();
    await tickets.update(project, edited.id, { assigneeId: other.id, version: 0 }, reporter);
    await tickets.update(project, edited.id, { assigneeId: assignee.id, version: 1 }, assignee);
    expect(await told(edited)).toEqual([[other.id, 'assigned', reporter.id, null]]);
  });

  it('tells the reporter and the assignee of a status change, never its author, and nobody of other edits', async () => {
    const ticket = await newTicket(reporter, assignee.id);
    await Notification.destroy({ where: { ticketId: ticket.id } });
    await tickets.update(project, ticket.id, { status: 'IN_PROGRESS', version: 0, source: 'board' }, other);
    expect(await told(ticket)).toEqual(
      sorted([
        [reporter.id, 'status', other.id, 'IN_PROGRESS'],
        [assignee.id, 'status', other.id, 'IN_PROGRESS'],
      ]),
    );

    await Notification.destroy({ where: { ticketId: ticket.id } });
    await tickets.update(project, ticket.id, { status: 'DONE', version: 1 }, assignee);
    await tickets.update(project, ticket.id, { title: 'Renamed', priority: 'HIGH', version: 2 }, other);
    await tickets.update(project, ticket.id, { status: 'DONE', version: 3 }, other);
    expect(await told(ticket)).toEqual([[reporter.id, 'status', assignee.id, 'DONE']]);
  });

  it('tells a person assigned and moved in one edit once, of the assignment', async () => {
    const ticket = await newTicket();
    await tickets.update(project, ticket.id, { status: 'REVIEW', assigneeId: assignee.id, version: 0 }, other);
    expect(await told(ticket)).toEqual(
      sorted([
        [assignee.id, 'assigned', other.id, null],
        [reporter.id, 'status', other.id, 'REVIEW'],
      ]),
    );
  });

  it('tells the reporter, the assignee and earlier commenters of a comment, never its author', async () => {
    const ticket = await newTicket(reporter, assignee.id);
    await Notification.destroy({ where: { ticketId: ticket.id } });
    const elsewhere = await newTicket();
    await comments.add(project, elsewhere.id, manager, 'On another ticket');

    await comments.add(project, ticket.id, reporter, 'First');
    expect(await told(ticket)).toEqual([[assignee.id, 'commented', reporter.id, 'First']]);

    await Notification.destroy({ where: { ticketId: ticket.id } });
    await comments.add(project, ticket.id, other, 'Second');
    await Notification.destroy({ where: { ticketId: ticket.id } });
    const long = `Third,\n\n${'word '.repeat(60)}`;
    await comments.add(project, ticket.id, assignee, long);
    const excerpt = `Third, ${'word '.repeat(60)}`.slice(0, 139).trimEnd() + '…';
    expect(await told(ticket)).toEqual(
      sorted([
        [reporter.id, 'commented', assignee.id, excerpt],
        [other.id, 'commented', assignee.id, excerpt],
      ]),
    );
  });

  it('tells only people who still have access: not a removed member, not a deactivated account; a manager yes', async () => {
    const leaving = await createUser(s);
    const deactivated = await createUser(s);
    const place = await createProject({ members: [reporter, leaving, deactivated] });
    const ticket = await newTicket(reporter, undefined, place);
    await comments.add(place, ticket.id, leaving, 'Before leaving');
    await comments.add(place, ticket.id, deactivated, 'Before going');
    await comments.add(place, ticket.id, manager, 'A manager without membership');
    await s.get(MembershipsService).remove(place, leaving.id);
    await s.get(UsersService).deactivate(deactivated.id, manager.id);
    await Notification.destroy({ where: { ticketId: ticket.id } });

    await comments.add(place, ticket.id, reporter, 'Anyone there?');
    expect(await told(ticket)).toEqual([[manager.id, 'commented', reporter.id, 'Anyone there?']]);
  });

  it('rolls the comment and the ticket change back when the notifications cannot be written', async () => {
    const ticket = await newTicket(reporter, assignee.id);
    const notify = jest.spyOn(NotificationsService.prototype, 'notify').mockRejectedValue(new Error('inbox is down'));
    try {
      await expect(comments.add(project, ticket.id, other, 'Lost')).rejects.toThrow('inbox is down');
      await expect(tickets.update(project, ticket.id, { status: 'DONE', version: 0 }, other)).rejects.toThrow(
        'inbox is down',
      );
      await expect(newTicket(reporter, assignee.id)).rejects.toThrow('inbox is down');
    } finally {
      notify.mockRestore();
    }
    expect(await Comment.count({ where: { ticketId: ticket.id } })).toBe(0);
    expect(await Ticket.findByPk(ticket.id)).toMatchObject({ status: 'OPEN', commentCount: 0 });
    expect(await versionOf(ticket)).toBe(0);
  });

  it('deletes notifications with their ticket and with their project', async () => {
    const ticket = await newTicket(reporter, assignee.id);
    await tickets.delete(project, ticket.id, reporter);
    expect(await Notification.count({ where: { ticketId: ticket.id } })).toBe(0);

    const doomed = await createProject({ members: [reporter, assignee] });
    const inDoomed = await newTicket(reporter, assignee.id, doomed);
    expect(await Notification.count({ where: { ticketId: inDoomed.id } })).toBe(1);
    await s.get(ProjectsService).remove(doomed);
    expect(await Notification.count({ where: { projectId: doomed.id } })).toBe(0);
  });
});
