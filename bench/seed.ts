import { Client } from 'pg';
import { QueryTypes } from 'sequelize';
import { Sequelize } from 'sequelize-typescript';
import { PasswordHasher } from '../src/accounts/passwords';
import { User } from '../src/accounts/user.model';
import { databaseOptions } from '../src/database/database-options';
import { createMigrator } from '../src/database/migrator';
import { MODELS } from '../src/database/models';
import { ProjectMember } from '../src/projects/project-member.model';
import { Project } from '../src/projects/project.model';
import { Ticket, TICKET_PRIORITIES, TICKET_STATUSES } from '../src/tickets/ticket.model';
import {
  BENCH_DATABASE_URL,
  BENCH_EMAIL,
  BENCH_PASSWORD,
  BIG_PROJECT,
  benchConfig,
  COMMENTED_TICKET_NUMBER,
  COMMENTS,
} from './bench-config';

const DESCRIPTION = (n: number) =>
  `## Ticket ${n}\n\nSteps to reproduce:\n\n1. Open the **board**\n2. Drag card _${n}_ to *Done*\n3. See [the docs](https://example.com/docs/${n})\n\n\`\`\`js\nconsole.log(${n});\n\`\`\`\n\n> Expected the card to stay where it was dropped.`;

/** Creates the benchmark database when it does not exist yet. */
async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}

/**
 * `npm run seed:bench`: 20 users, 10 projects, one of them with 10,000 tickets with Markdown
 * descriptions, one of which has 200 comments and 200 history entries. Idempotent: a second run
 * finds the data and leaves it.
 */
/**
 * Vacuums and analyzes the bench database before a run, as autovacuum keeps a production
 * database. Without it (CI's PostgreSQL runs with autovacuum off) every run's writes stay behind
 * as dead rows: each ticket write also rewrites its project's row (the counters), and after one
 * run's writes the ten-row projects table spanned 50 pages, which the next run's dashboard read.
 */
export async function vacuumBench(): Promise<void> {
  const db = new Client({ connectionString: BENCH_DATABASE_URL });
  await db.connect();
  try {
    await db.query('VACUUM ANALYZE');
  } finally {
    await db.end();
  }
}

export async function seedBench(log = console.log): Promise<void> {
  await ensureDatabase(BENCH_DATABASE_URL);
  const { uri, ...options } = databaseOptions(benchConfig());
  const sequelize = new Sequelize(uri!, { ...options, models: MODELS });
  try {
    await createMigrator(sequelize).up();
    if (await Project.findOne({ where: { name: BIG_PROJECT } })) {
      log('benchmark data already present');
      await seedCommentedTicket(sequelize, log);
      return;
    }
    const passwordHash = await new PasswordHasher(benchConfig()).hash(BENCH_PASSWORD);
    const users = await User.bulkCreate(
      Array.from({ length: 20 }, (_, i) => ({
        email: i === 0 ? BENCH_EMAIL : `bench-member-${i}@bench.hticket.test`,
        name: i === 0 ? 'Bench Manager' : `Member ${i}`,
        role: i === 0 ? 'MANAGER' : 'MEMBER',
        passwordHash,
      })),
    );
    const projects = await Project.bulkCreate(
      Array.from({ length: 10 }, (_, i) => ({
        name: i === 0 ? BIG_PROJECT : `Project ${i}`,
        description: `A benchmark project (${i}).`,
        createdBy: users[0].id,
      })),
    );
    await ProjectMember.bulkCreate(
      projects.flatMap((project) => users.map((user) => ({ projectId: project.id, userId: user.id }))),
    );
    for (const [index, project] of projects.entries()) {
      const count = index === 0 ? 10_000 : 25;
      for (let start = 0; start < count; start += 1000) {
        const batch = Array.from({ length: Math.min(1000, count - start) }, (_, j) => {
          const n = start + j + 1;
          return {
            projectId: project.id,
            number: n,
            reporterId: users[n % users.length].id,
            title: `Ticket ${n}: the board should keep cards in order`,
            description: DESCRIPTION(n),
            status: TICKET_STATUSES[n % TICKET_STATUSES.length],
            priority: TICKET_PRIORITIES[n % TICKET_PRIORITIES.length],
            createdAt: new Date(Date.now() - (count - n) * 60_000),
            updatedAt: new Date(Date.now() - (count - n) * 60_000),
          };
        });
        await Ticket.bulkCreate(batch);
      }
      await project.update({ ticketSeq: count });
    }
    await seedCommentedTicket(sequelize, log, false);
    await sequelize.query('ANALYZE');
    log(`seeded 20 users, 10 projects, ${10_000 + 9 * 25} tickets in ${BENCH_DATABASE_URL}`);
  } finally {
    await sequelize.close();
  }
}

/**
 * Ticket #COMMENTED_TICKET_NUMBER of the big project gets COMMENTS comments and as many history
 * entries, by the benchmark's people, one minute apart (two INSERT ... SELECT statements). Also
 * run on a database seeded before comments existed; idempotent.
 */
async function seedCommentedTicket(
  sequelize: Sequelize,
  log: (line: string) => void,
  analyze = true,
  project = BIG_PROJECT,
): Promise<void> {
  const [ticket] = await sequelize.query<{ id: string; comment_count: number }>(
    `SELECT t.id, t.comment_count FROM tickets t JOIN projects p ON p.id = t.project_id
      WHERE p.name = :project AND t.number = :number`,
    { replacements: { project, number: COMMENTED_TICKET_NUMBER }, type: QueryTypes.SELECT },
  );
  if (!ticket || Number(ticket.comment_count) >= COMMENTS) return;
  const people = `(SELECT id FROM users WHERE email LIKE '%@bench.hticket.test' ORDER BY email OFFSET g % 20 LIMIT 1)`;
  const at = (offset: number) => `now() - ((${COMMENTS} - g) * interval '2 minutes') + interval '${offset} second'`;
  await sequelize.transaction(async (transaction) => {
    await sequelize.query(
      `INSERT INTO comments (id, ticket_id, author_id, body, created_at, updated_at)
       SELECT gen_random_uuid(), :ticket, ${people},
              'Comment ' || g || E': I could **reproduce** this.\n\n- on the board\n- in the list', ${at(0)}, ${at(0)}
         FROM generate_series(1, ${COMMENTS}) g`,
      { replacements: { ticket: ticket.id }, transaction },
    );
    await sequelize.query(
      `INSERT INTO ticket_activity (ticket_id, actor_id, kind, field, from_value, to_value, created_at)
       SELECT :ticket, ${people}, 'changed', 'priority',
              (ARRAY['LOW','MEDIUM','HIGH','CRITICAL'])[1 + g % 4], (ARRAY['LOW','MEDIUM','HIGH','CRITICAL'])[1 + (g + 1) % 4],
              ${at(60)}
         FROM generate_series(1, ${COMMENTS}) g`,
      { replacements: { ticket: ticket.id }, transaction },
    );
    await sequelize.query('UPDATE tickets SET comment_count = :count WHERE id = :ticket', {
      replacements: { ticket: ticket.id, count: COMMENTS },
      transaction,
    });
  });
  if (analyze) await sequelize.query('ANALYZE comments, ticket_activity');
  log(
    `seeded ${COMMENTS} comments and ${COMMENTS} history entries on ticket #${COMMENTED_TICKET_NUMBER} of ${project}`,
  );
}

/** The large data set (`npm run seed:bench -- --large`), added beside the 10,000-ticket one. */
export const LARGE_PROJECT = 'Large board (100,000 tickets)';
export const LARGE_MANAGER_EMAIL = 'large-manager@large.bench.hticket.test';
/** A member of the ten projects of the 10,000-ticket set only: the dashboard of ten projects. */
export const SMALL_MEMBER_EMAIL = 'bench-member-1@bench.hticket.test';
const LARGE_USERS = 10_000;
const LARGE_PROJECTS = 1_000;
const LARGE_PROJECT_TICKETS = 100_000;
const LARGE_TICKETS = 1_000_000;
const MEMBERS_PER_PROJECT = 20;

/** A stable UUID (version 4 layout) for a key, so that every bulk statement can name rows without a join. */
const uuidOf = (key: string) => `overlay(overlay(md5(${key}) placing '4' from 13) placing '8' from 17)::uuid`;
const userId = (n: string) => uuidOf(`'hticket-large-user-' || (${n})`);
const projectId = (n: string) => uuidOf(`'hticket-large-project-' || (${n})`);
/** The k-th member (0-based) of project p: projects share people, as teams do. */
const memberOf = (p: string, k: string) => `((${p}) * 7 + (${k})) % ${LARGE_USERS} + 1`;

const WORDS = [
  'login',
  'export',
  'invoice',
  'avatar',
  'deadline',
  'upload',
  'search',
  'mobile',
  'backup',
  'report',
  'calendar',
  'webhook',
  'session',
  'printer',
  'payment',
  'sidebar',
  'filter',
  'archive',
  'timezone',
  'import',
];
const wordAt = (index: string) => `(ARRAY['${WORDS.join("','")}'])[1 + (${index}) % ${WORDS.length}]`;

/**
 * The tickets of the project numbered `p` (SQL), numbers 1..count: Markdown descriptions of the
 * 10,000-ticket set's size, twenty topics spread evenly, every third ticket unassigned.
 */
function ticketRows(p: string, count: string): string {
  const reporter = userId(memberOf(p, `n % ${MEMBERS_PER_PROJECT}`));
  const assignee = `CASE WHEN n % 3 = 0 THEN NULL ELSE ${userId(memberOf(p, `(n * 3) % ${MEMBERS_PER_PROJECT}`))} END`;
  const topic = wordAt('n');
  const other = wordAt('n / 20');
  return `SELECT gen_random_uuid(), ${projectId(p)}, n, ${reporter}, ${assignee},
      'Ticket ' || n || ': the ' || ${topic} || ' page should keep its ' || ${other},
      '## Ticket ' || n || E'\n\nSteps to reproduce:\n\n1. Open the **' || ${topic} || E'** page\n2. Change ticket _' || n ||
        E'_\n3. See [the docs](https://example.com/docs/' || n || E')\n\n> Expected the ' || ${other} || ' to stay.',
      (ARRAY['OPEN','IN_PROGRESS','REVIEW','DONE'])[1 + n % 4], (ARRAY['LOW','MEDIUM','HIGH','CRITICAL'])[1 + (n / 4) % 4],
      0, 0, now() - ((${count}) - n) * interval '1 minute', now() - ((${count}) - n) * interval '1 minute'
    FROM generate_series(1, ${count}) n`;
}

const TICKET_COLUMNS =
  'id, project_id, number, reporter_id, assignee_id, title, description, status, priority, version, comment_count, created_at, updated_at';

/**
 * `npm run seed:bench -- --large`: in the same database as the 10,000-ticket set (seeded first
 * when missing), 10,000 people, 1,000 projects of 20 members each, 1,000,000 tickets, one project
 * with 100,000 of them, and a manager who sees every project. Bulk SQL (INSERT ... SELECT over
 * generate_series) in one transaction: the database's own triggers keep the counters and board
 * versions of every project, its generated column the search vectors; ticket_seq is set to the
 * last number and comment_count moves with the comments. Idempotent.
 */
export async function seedLarge(log = console.log): Promise<void> {
  await seedBench(log);
  const { uri, ...options } = databaseOptions(benchConfig());
  const sequelize = new Sequelize(uri!, { ...options, models: MODELS });
  try {
    if (await Project.findOne({ where: { name: LARGE_PROJECT } })) {
      log('large data set already present');
      await seedCommentedTicket(sequelize, log, true, LARGE_PROJECT);
      return;
    }
    const started = Date.now();
    const step = (what: string) => log(`${what} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    const passwordHash = await new PasswordHasher(benchConfig()).hash(BENCH_PASSWORD);
    const others = LARGE_PROJECTS - 1;
    const perOther = Math.floor((LARGE_TICKETS - LARGE_PROJECT_TICKETS) / others);
    const oneMore = LARGE_TICKETS - LARGE_PROJECT_TICKETS - perOther * others;
    const countOf = (p: string) =>
      `CASE WHEN ${p} = 1 THEN ${LARGE_PROJECT_TICKETS} WHEN ${p} <= ${oneMore + 1} THEN ${perOther + 1} ELSE ${perOther} END`;
    await sequelize.transaction(async (transaction) => {
      const run = (sql: string, replacements: Record<string, unknown> = {}) =>
        sequelize.query(sql, { replacements, transaction });
      await run(
        `INSERT INTO users (id, email, name, password_hash, role, created_at, updated_at)
         SELECT ${userId('g')}, CASE WHEN g = 1 THEN :manager ELSE 'large-' || g || '@large.bench.hticket.test' END,
                CASE WHEN g = 1 THEN 'Large Manager' ELSE 'Person ' || g END, :hash,
                CASE WHEN g = 1 THEN 'MANAGER' ELSE 'MEMBER' END, now(), now()
           FROM generate_series(1, ${LARGE_USERS}) g`,
        { manager: LARGE_MANAGER_EMAIL, hash: passwordHash },
      );
      await run(
        `INSERT INTO projects (id, name, description, created_by, created_at, updated_at)
         SELECT ${projectId('p')}, CASE WHEN p = 1 THEN :large ELSE 'Large set ' || lpad(p::text, 4, '0') END,
                'A project of the large benchmark set (' || p || ').', ${userId('1')}, now(), now()
           FROM generate_series(1, ${LARGE_PROJECTS}) p`,
        { large: LARGE_PROJECT },
      );
      await run(
        `INSERT INTO project_members (project_id, user_id, created_at)
         SELECT ${projectId('p')}, ${userId(memberOf('p', 'k'))}, now()
           FROM generate_series(1, ${LARGE_PROJECTS}) p, generate_series(0, ${MEMBERS_PER_PROJECT - 1}) k`,
      );
      step('10,000 people, 1,000 projects, 20,000 memberships');
      await run(`INSERT INTO tickets (${TICKET_COLUMNS}) ${ticketRows('1', String(LARGE_PROJECT_TICKETS))}`);
      step(`${LARGE_PROJECT_TICKETS.toLocaleString('en-US')} tickets in ${LARGE_PROJECT}`);
      // A hundred projects a statement: each statement's trigger adds up its projects' counters.
      for (let first = 2; first <= LARGE_PROJECTS; first += 100) {
        const last = Math.min(LARGE_PROJECTS, first + 99);
        await run(
          `INSERT INTO tickets (${TICKET_COLUMNS})
           SELECT t.* FROM generate_series(${first}, ${last}) p CROSS JOIN LATERAL (${ticketRows('p', countOf('p'))}) t`,
        );
      }
      step(`${(LARGE_TICKETS - LARGE_PROJECT_TICKETS).toLocaleString('en-US')} tickets in the other projects`);
      await run(
        `UPDATE projects SET ticket_seq = open_tickets + in_progress_tickets + review_tickets + done_tickets
          WHERE id IN (SELECT ${projectId('p')} FROM generate_series(1, ${LARGE_PROJECTS}) p)`,
      );
    });
    await seedCommentedTicket(sequelize, log, false, LARGE_PROJECT);
    await sequelize.query('VACUUM ANALYZE');
    step('vacuumed and analyzed');
  } finally {
    await sequelize.close();
  }
}

if (require.main === module) {
  (process.argv.includes('--large') ? seedLarge() : seedBench()).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
