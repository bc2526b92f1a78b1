import type { User } from '../../src/accounts/user.model';
import { ActivityService } from '../../src/activity/activity.service';
import { TicketActivity } from '../../src/activity/ticket-activity.model';
import { Comment } from '../../src/comments/comment.model';
import { CommentsService } from '../../src/comments/comments.service';
import { NotAllowed, NotFound } from '../../src/common/errors';
import type { Project } from '../../src/projects/project.model';
import { ProjectsService } from '../../src/projects/projects.service';
import { Ticket } from '../../src/tickets/ticket.model';
import { TicketsService } from '../../src/tickets/tickets.service';
import { createUser } from '../helpers/factories';
import { createProject } from '../helpers/project-factories';
import { Services, SLOW_SETUP_MS, startServices } from './services';

describe('comments and the activity history (services)', () => {
  let s: Services;
  let comments: CommentsService;
  let tickets: TicketsService;
  let author: User;
  let other: User;
  let manager: User;
  let project: Project;

  beforeAll(async () => {
    s = await startServices();
    comments = s.get(CommentsService);
    tickets = s.get(TicketsService);
    author = await createUser(s);
    other = await createUser(s);
    manager = await createUser(s, { role: 'MANAGER' });
    project = await createProject({ members: [author, other] });
  }, SLOW_SETUP_MS);
  afterAll(() => s.close());

  const newTicket = () =>
    tickets.create(project, author, { title: 'Commented', description: '', priority: 'LOW', status: 'OPEN' });
  const kinds = async (ticket: Ticket) =>
    (await s.get(ActivityService).all(ticket.id)).map((entry) => [
      entry.kind,
      entry.field,
      entry.fromValue,
      entry.toValue,
    ]);

  it('records the creation and each changed field, "moved" for the board, nothing for a field sent unchanged', async () => {
    const ticket = await newTicket();
    await tickets.update(
      project,
      ticket.id,
      { title: 'Commented', priority: 'HIGH', version: 0, source: 'edit' },
      other,
    );
    await tickets.update(project, ticket.id, { status: 'DONE', version: 1, source: 'board' }, author);
    await tickets.update(project, ticket.id, { status: 'REVIEW', version: 2, source: 'details' }, author);
    expect(await kinds(ticket)).toEqual([
      ['created', null, null, null],
      ['changed', 'priority', 'LOW', 'HIGH'],
      ['moved', 'status', 'OPEN', 'DONE'],
      ['changed', 'status', 'DONE', 'REVIEW'],
    ]);
  });

  it('records nothing for a stale edit it refuses', async () => {
    const ticket = await newTicket();
    await tickets.update(project, ticket.id, { title: 'Theirs', version: 0 }, other);
    const stale = await tickets.update(
      project,
      ticket.id,
      { title: 'Mine', baseTitle: 'Commented', version: 0 },
      author,
    );
    expect(stale.ok).toBe(false);
    expect(await kinds(ticket)).toEqual([
      ['created', null, null, null],
      ['changed', 'title', 'Commented', 'Theirs'],
    ]);
  });

  it('counts comments without moving the ticket version, and records adding and deleting them', async () => {
    const ticket = await newTicket();
    const comment = await comments.add(project, ticket.id, author, 'Hello');
    await comments.add(project, ticket.id, other, 'Hi');
    expect(await Ticket.findByPk(ticket.id)).toMatchObject({ commentCount: 2, version: 0 });
    await comments.delete(project, ticket.id, comment.id, author);
    expect(await Ticket.findByPk(ticket.id)).toMatchObject({ commentCount: 1, version: 0 });
    expect((await kinds(ticket)).map(([kind]) => kind)).toEqual([
      'created',
      'commented',
      'commented',
      'comment-deleted',
    ]);
    // The ticket can still be saved by a form opened before the comments.
    expect(await tickets.update(project, ticket.id, { title: 'Still fresh', version: 0 }, author)).toMatchObject({
      ok: true,
    });
  });

  it('lets only the author edit, the author or a manager delete, and finds comments only on their own ticket', async () => {
    const ticket = await newTicket();
    const elsewhere = await newTicket();
    const comment = await comments.add(project, ticket.id, author, 'Mine');
    await expect(comments.edit(project, ticket.id, comment.id, other, 'Theirs')).rejects.toBeInstanceOf(NotAllowed);
    await expect(comments.edit(project, ticket.id, comment.id, manager, 'Managed')).rejects.toBeInstanceOf(NotAllowed);
    await expect(comments.delete(project, ticket.id, comment.id, other)).rejects.toBeInstanceOf(NotAllowed);
    await expect(comments.delete(project, elsewhere.id, comment.id, author)).rejects.toBeInstanceOf(NotFound);
    const spare = await createProject({ members: [author] });
    await expect(comments.delete(spare, ticket.id, comment.id, author)).rejects.toBeInstanceOf(NotFound);

    const edited = await comments.edit(project, ticket.id, comment.id, author, 'Mine, edited');
    expect(edited.comment).toMatchObject({ body: 'Mine, edited' });
    expect(edited.comment.editedAt).toBeInstanceOf(Date);
    await comments.delete(project, ticket.id, comment.id, manager);
    expect(await Comment.findByPk(comment.id)).toBeNull();
  });

  it('writes nothing when the history cannot be recorded: the comment, its count and its entry go together', async () => {
    const ticket = await newTicket();
    const record = jest.spyOn(ActivityService.prototype, 'record').mockRejectedValueOnce(new Error('history is down'));
    try {
      await expect(comments.add(project, ticket.id, author, 'Lost')).rejects.toThrow('history is down');
    } finally {
      record.mockRestore();
    }
    expect(await Comment.count({ where: { ticketId: ticket.id } })).toBe(0);
    expect(await Ticket.findByPk(ticket.id)).toMatchObject({ commentCount: 0 });
    expect((await kinds(ticket)).map(([kind]) => kind)).toEqual(['created']);
  });

  it('rolls a ticket change back with its history entry', async () => {
    const ticket = await newTicket();
    const record = jest.spyOn(ActivityService.prototype, 'record').mockRejectedValueOnce(new Error('history is down'));
    try {
      await expect(tickets.update(project, ticket.id, { title: 'Unrecorded', version: 0 }, author)).rejects.toThrow(
        'history is down',
      );
    } finally {
      record.mockRestore();
    }
    expect(await Ticket.findByPk(ticket.id)).toMatchObject({ title: 'Commented', version: 0 });
  });

  it('deletes comments and history with their ticket, and with their project', async () => {
    const ticket = await newTicket();
    await comments.add(project, ticket.id, author, 'Going');
    await tickets.delete(project, ticket.id, author);
    expect(await Comment.count({ where: { ticketId: ticket.id } })).toBe(0);
    expect(await TicketActivity.count({ where: { ticketId: ticket.id } })).toBe(0);

    const doomed = await createProject({ members: [author] });
    const inDoomed = await tickets.create(doomed, author, {
      title: 'Doomed',
      description: '',
      priority: 'LOW',
      status: 'OPEN',
    });
    await comments.add(doomed, inDoomed.id, author, 'Also going');
    await s.get(ProjectsService).remove(doomed);
    expect(await Comment.count({ where: { ticketId: inDoomed.id } })).toBe(0);
    expect(await TicketActivity.count({ where: { ticketId: inDoomed.id } })).toBe(0);
  });
});
