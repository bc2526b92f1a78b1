import { randomUUID } from 'node:crypto';
import hbs from 'hbs';
import { QueryTypes } from 'sequelize';
import { User } from '../../src/accounts/user.model';
import { Project } from '../../src/projects/project.model';
import {
  BOARD_VERSION_WATCHES,
  CARD_PEOPLE,
  cardColumns,
  STATUS_COUNTER_ATTRIBUTES,
  STATUS_COUNTER_COLUMNS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
} from '../../src/common/board-contract';
import { Ticket } from '../../src/tickets/ticket.model';
import { boardColumnView } from '../../src/tickets/ticket-view';
import { TicketsService } from '../../src/tickets/tickets.service';
import { createUser, uniqueEmail } from '../helpers/factories';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createProject, createTickets } from './tickets-fixtures';

type Row = Record<string, unknown>;

/**
 * A new value for each column a card may show, given the row as it is. A column added to the card
 * in board-contract.ts needs a writer here: the test refuses to pass over it.
 */
const WRITERS: Record<string, (row: Row, context: { otherUser: User }) => unknown> = {
  'tickets.assignee_id': (_row, { otherUser }) => otherUser.id,
  'tickets.id': () => randomUUID(),
  'tickets.number': (row) => Number(row.number) + 1_000_000,
  'tickets.title': () => `Renamed ${randomUUID()}`,
  'tickets.status': (row) => TICKET_STATUSES.find((status) => status !== row.status),
  'tickets.priority': (row) => TICKET_PRIORITIES.find((priority) => priority !== row.priority),
  'tickets.version': (row) => Number(row.version) + 1,
  'tickets.created_at': () => new Date(Date.UTC(2001, 1, 3, 4, 5, 6)),
  'tickets.comment_count': (row) => Number(row.comment_count) + 1,
  'tickets.reporter_id': (_row, { otherUser }) => otherUser.id,
  'reporter.email': () => uniqueEmail('renamed'),
  'reporter.name': () => `Renamed ${randomUUID().slice(0, 8)}`,
  'reporter.avatar': () => `${randomUUID().replace(/-/g, '')}.webp`,
  'assignee.email': () => uniqueEmail('renamed'),
  'assignee.name': () => `Renamed ${randomUUID().slice(0, 8)}`,
  'assignee.avatar': () => `${randomUUID().replace(/-/g, '')}.webp`,
};

/** A different value of the same type, for a users column the card does not show. */
function otherValue(type: string, value: unknown): unknown {
  if (type === 'BOOLEAN') return !value;
  if (type === 'DATE') return new Date(Date.UTC(2002, 2, 4, 5, 6, 7));
  if (type === 'INTEGER') return Number(value) + 1;
  return `x${randomUUID().slice(0, 8)}`;
}

describe('the board contract (common/board-contract.ts) holds in the database', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const versionOf = async (project: Project) =>
    (await Project.findByPk(project.id, { rejectOnEmpty: true })).boardVersion;

  async function rowOf(table: string, id: string): Promise<Row> {
    const [row] = await t.sequelize.query<Row>(`SELECT * FROM ${table} WHERE id = :id`, {
      replacements: { id },
      type: QueryTypes.SELECT,
    });
    return row;
  }

  async function write(table: string, id: string, column: string, value: unknown): Promise<void> {
    await t.sequelize.query(`UPDATE ${table} SET ${column} = :value WHERE id = :id`, {
      replacements: { id, value },
    });
  }

  it('moves the board version with a real write of every column a card shows', async () => {
    const reporter = await createUser(t, { name: 'Shown Reporter' });
    const assignee = await createUser(t, { name: 'Shown Assignee' });
    const otherUser = await createUser(t);
    const project = await createProject([reporter, assignee]);
    const [ticket] = await createTickets(project, reporter, 1);
    let ticketId = ticket.id;
    await write('tickets', ticketId, 'assignee_id', assignee.id);
    const people: Record<string, User> = { reporter, assignee };

    const unmoved: string[] = [];
    const unwritable: string[] = [];
    for (const shown of cardColumns()) {
      const [table, column] = shown.split('.');
      const person = table in CARD_PEOPLE ? people[table] : null;
      // A person's primary key never changes; the ticket's column that names them is written.
      if (person && column === CARD_PEOPLE[table as keyof typeof CARD_PEOPLE].key) continue;
      const writer = WRITERS[shown];
      if (!writer) {
        unwritable.push(shown);
        continue;
      }
      const [realTable, id] = person ? ['users', person.id] : ['tickets', ticketId];
      const value = writer(await rowOf(realTable, id), { otherUser });
      const before = await versionOf(project);
      await write(realTable, id, column, value);
      if ((await versionOf(project)) <= before) unmoved.push(shown);
      if (shown === 'tickets.id') ticketId = value as string;
      // Back to the people whose own columns are written next.
      if (shown === 'tickets.reporter_id') await write('tickets', ticketId, column, reporter.id);
      if (shown === 'tickets.assignee_id') await write('tickets', ticketId, column, assignee.id);
    }
    // Through the application too: the assignee renames themselves, a card in another project moves.
    const elsewhere = await createProject([assignee]);
    const [other] = await createTickets(elsewhere, reporter, 1);
    await write('tickets', other.id, 'assignee_id', assignee.id);
    const before = await versionOf(elsewhere);
    await User.update({ name: 'Renamed Through The Model', avatar: 'abc.webp' }, { where: { id: assignee.id } });
    expect(await versionOf(elsewhere)).toBeGreaterThan(before);
    expect({ unwritable }).toEqual({ unwritable: [] });
    expect({ unmoved }).toEqual({ unmoved: [] });
  });

  it('counts every status in the counter column the contract gives it', async () => {
    const attributes = Project.getAttributes() as Record<string, { field?: string }>;
    for (const status of TICKET_STATUSES) {
      expect(attributes[STATUS_COUNTER_ATTRIBUTES[status]]?.field).toBe(STATUS_COUNTER_COLUMNS[status]);
    }

    const reporter = await createUser(t);
    const project = await createProject([reporter]);
    for (const status of TICKET_STATUSES) {
      const before = await rowOf('projects', project.id);
      await createTickets(project, reporter, 1, () => ({ status }));
      const after = await rowOf('projects', project.id);
      for (const [counted, column] of Object.entries(STATUS_COUNTER_COLUMNS)) {
        expect({ status, column, delta: Number(after[column]) - Number(before[column]) }).toEqual({
          status,
          column,
          delta: counted === status ? 1 : 0,
        });
      }
    }
  });

  it('renders the board the same whatever happens to a reporter or assignee column the board version does not watch', async () => {
    const reporter = await createUser(t, { name: 'Steady Reporter' });
    const assignee = await createUser(t, { name: 'Steady Assignee' });
    const project = await createProject([reporter, assignee]);
    await createTickets(project, reporter, 3, (i) => ({ status: TICKET_STATUSES[i] }));
    await Ticket.update({ priority: 'HIGH' }, { where: { projectId: project.id, number: 1 } });
    await Ticket.update({ assigneeId: assignee.id }, { where: { projectId: project.id, number: 2 } });
    const renderColumns = hbs.handlebars.compile('{{> tickets/columns}}');
    const now = new Date();
    const render = async () => {
      const fresh = await Project.findByPk(project.id, { rejectOnEmpty: true });
      const columns = await t.get(TicketsService).board(fresh);
      return renderColumns({ columns: columns.map((column) => boardColumnView(fresh, column, now)) });
    };

    const watched = new Set<string>([CARD_PEOPLE.reporter.key, ...BOARD_VERSION_WATCHES.users]);
    const unwatched = Object.values(User.getAttributes()).filter((attribute) => !watched.has(attribute.field ?? ''));
    expect(unwatched.length).toBeGreaterThan(0);
    const rendered = await render();
    expect(rendered).toContain('Steady Reporter');
    expect(rendered).toContain('Steady Assignee');
    const changedTheBoard: string[] = [];
    for (const person of [reporter, assignee]) {
      for (const attribute of unwatched) {
        const column = attribute.field ?? '';
        const row = await rowOf('users', person.id);
        await write('users', person.id, column, otherValue((attribute.type as { key: string }).key, row[column]));
        if ((await render()) !== rendered) changedTheBoard.push(`${person.name}: ${column}`);
      }
    }
    expect(changedTheBoard).toEqual([]);
  });
});
