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
async function seedCommentedTicket(sequelize: Sequelize, log: (line: string) => void, analyze = true): Promise<void> {
  const [ticket] = await sequelize.query<{ id: string; comment_count: number }>(
    `SELECT t.id, t.comment_count FROM tickets t JOIN projects p ON p.id = t.project_id
      WHERE p.name = :project AND t.number = :number`,
    { replacements: { project: BIG_PROJECT, number: COMMENTED_TICKET_NUMBER }, type: QueryTypes.SELECT },
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
  log(`seeded ${COMMENTS} comments and ${COMMENTS} history entries on ticket #${COMMENTED_TICKET_NUMBER}`);
}

if (require.main === module) {
  seedBench().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
