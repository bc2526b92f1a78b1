import { Op } from 'sequelize';
import { ProjectsService } from '../../src/projects/projects.service';
import { Project } from '../../src/projects/project.model';
import { Ticket, TICKET_STATUSES, TicketStatus } from '../../src/tickets/ticket.model';
import { TicketsService } from '../../src/tickets/tickets.service';
import { createUser } from '../helpers/factories';
import { signIn } from '../helpers/http';
import { startTestApp, TestApp } from '../helpers/test-app';
import { usesPostgres } from '../helpers/test-config';
import { createProject, createTickets } from './tickets-fixtures';

/** What the counters should say: a plain COUNT(*) per status. */
async function countedByRows(projectId: string): Promise<Record<TicketStatus, number>> {
  const counts = Object.fromEntries(TICKET_STATUSES.map((status) => [status, 0])) as Record<TicketStatus, number>;
  for (const status of TICKET_STATUSES) counts[status] = await Ticket.count({ where: { projectId, status } });
  return counts;
}

async function countersOf(projectId: string): Promise<Record<TicketStatus, number>> {
  return (await Project.findByPk(projectId, { rejectOnEmpty: true })).ticketCounts();
}

describe('tickets: the counters and board version the database keeps, and the reused board rendering', () => {
  let t: TestApp;
  let tickets: TicketsService;

  beforeAll(async () => {
    t = await startTestApp();
    tickets = t.get(TicketsService);
  });
  afterAll(() => t.close());

  it('follow every kind of write: form creates, moves, edits, deletes, bulk inserts and bulk updates', async () => {
    const member = await createUser(t);
    const project = await createProject([member]);
    const other = await createProject([member]);
    await createTickets(other, member, 7, (i) => ({ status: TICKET_STATUSES[i % 4] }));

    const created = [];
    for (const status of ['OPEN', 'OPEN', 'REVIEW', 'DONE'] as const) {
      created.push(
        await tickets.create(project, member, { title: `T ${status}`, description: '', priority: 'LOW', status }),
      );
    }
    expect(await countersOf(project.id)).toEqual({ OPEN: 2, IN_PROGRESS: 0, REVIEW: 1, DONE: 1 });

    await tickets.update(project, created[0].id, { status: 'IN_PROGRESS', version: created[0].version }, member);
    await tickets.update(
      project,
      created[1].id,
      { title: 'Renamed, same status', version: created[1].version },
      member,
    );
    await tickets.delete(project, created[3].id, member);
    expect(await countersOf(project.id)).toEqual({ OPEN: 1, IN_PROGRESS: 1, REVIEW: 1, DONE: 0 });

    await createTickets(project, member, 40, (i) => ({ status: TICKET_STATUSES[i % 4] }));
    await Ticket.update({ status: 'DONE' }, { where: { projectId: project.id, status: 'REVIEW' } });
    await Ticket.destroy({ where: { projectId: project.id, number: { [Op.lte]: 10 } } });
    expect(await countersOf(project.id)).toEqual(await countedByRows(project.id));
    expect(await countersOf(other.id)).toEqual({ OPEN: 2, IN_PROGRESS: 2, REVIEW: 2, DONE: 1 });
  });

  it('show on the board and the dashboard', async () => {
    const manager = await createUser(t, { role: 'MANAGER' });
    const project = await createProject([], `Counted ${Date.now()}`);
    await createTickets(project, manager, 9, (i) => ({ status: i < 5 ? 'OPEN' : 'DONE' }));
    const c = await signIn(t.http, manager.email);
    const board = await c.page(`/projects/${project.id}`);
    expect(board.text).toContain('data-count="OPEN">5<');
    expect(board.text).toContain('data-count="DONE">4<');
    expect(board.text).toContain('data-count="REVIEW">0<');
    expect(await countersOf(project.id)).toEqual(await countedByRows(project.id));
  });

  it('raise the board version with every ticket write and every change to what a card shows of its reporter', async () => {
    const reporter = await createUser(t, { name: 'Vera Version' });
    const bystander = await createUser(t);
    const project = await createProject([reporter, bystander]);
    const versionOf = async () => (await Project.findByPk(project.id, { rejectOnEmpty: true })).boardVersion;
    const steps: [string, () => Promise<unknown>][] = [
      [
        'create',
        () =>
          tickets.create(project, reporter, { title: 'Versioned', description: '', priority: 'LOW', status: 'OPEN' }),
      ],
      [
        'edit the title',
        async () => {
          const [ticket] = await Ticket.findAll({ where: { projectId: project.id } });
          await tickets.update(project, ticket.id, { title: 'Renamed', version: ticket.version }, reporter);
        },
      ],
      ['rename the reporter', () => reporter.update({ name: 'Vera Renamed' })],
      ['new avatar for the reporter', () => reporter.update({ avatar: 'a'.repeat(32) + '.webp' })],
      ['bulk insert', () => createTickets(project, bystander, 3)],
      [
        'delete',
        async () => {
          const [ticket] = await Ticket.findAll({ where: { projectId: project.id, reporterId: reporter.id } });
          await tickets.delete(project, ticket.id, reporter);
        },
      ],
    ];
    for (const [step, write] of steps) {
      const before = await versionOf();
      await write();
      expect({ step, raised: (await versionOf()) > before }).toEqual({ step, raised: true });
    }
    const before = await versionOf();
    await bystander.update({ name: 'Reported nothing here... yet' }); // a member, who reported tickets: raised
    const after = await versionOf();
    expect(after).toBeGreaterThan(before);
    await createUser(t).then((stranger) => stranger.update({ name: 'Stranger' }));
    expect(await versionOf()).toBe(after);
  });

  it('reuse a rendered board only while nothing on it changed', async () => {
    const member = await createUser(t, { name: 'Fresh Eyes' });
    const project = await createProject([member]);
    const [ticket] = await createTickets(project, member, 2, (i) => ({ title: `Fresh ${i}` }));
    const c = await signIn(t.http, member.email);
    const board = async () => (await c.page(`/projects/${project.id}`)).text;

    // Whether a view read the cards (rendered the columns) or reused the rendering.
    const cardsRead = async () => {
      const read = jest.spyOn(tickets, 'board');
      try {
        await c.agent.get(`/projects/${project.id}`);
        return read.mock.calls.length;
      } finally {
        read.mockRestore();
      }
    };
    expect(await cardsRead()).toBe(1);
    expect(await cardsRead()).toBe(0); // the same rendering serves
    expect(await board()).toContain('>Fresh 0<');

    await tickets.update(project, ticket.id, { title: 'Fresh title', status: 'DONE', version: ticket.version }, member);
    expect(await cardsRead()).toBe(1);
    const afterEdit = await board();
    expect(afterEdit).toContain('>Fresh title<');
    expect(afterEdit).toContain('data-count="DONE">1<');
    expect(afterEdit).not.toContain('>Fresh 0<');

    await member.update({ name: 'Zed Quill' });
    expect(await board()).toContain('>ZQ</span>');
  });

  (usesPostgres() ? it : it.skip)(
    'let a project be deleted while its tickets are being moved: no deadlock, no error',
    async () => {
      const member = await createUser(t, { role: 'MANAGER' });
      for (let round = 0; round < 5; round++) {
        const project = await createProject([member]);
        const rows = await createTickets(project, member, 30);
        const moves = rows.map((ticket, i) =>
          tickets
            .update(project, ticket.id, { status: TICKET_STATUSES[1 + (i % 3)], version: ticket.version }, member)
            .catch((error: Error) => error),
        );
        const removal = t.get(ProjectsService).remove(project);
        const outcomes = await Promise.all([removal, ...moves]);
        // A move either landed before the deletion or finds its ticket gone (404); nothing else.
        for (const outcome of outcomes.slice(1)) {
          if (outcome instanceof Error) expect(outcome.name).toBe('NotFoundException');
        }
        expect(await Project.findByPk(project.id)).toBeNull();
        expect(await Ticket.count({ where: { projectId: project.id } })).toBe(0);
      }
    },
    30_000,
  );
});
