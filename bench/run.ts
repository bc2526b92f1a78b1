import autocannon from 'autocannon';
import Redis from 'ioredis';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { Sequelize } from 'sequelize-typescript';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { createWebApp } from '../src/app.factory';
import { csrfFrom } from '../test/helpers/http';
import { countQueries } from '../test/helpers/query-counter';
import { startCeiling } from './ceiling';
import { signIn, startBuilt, waitForReady } from './http';
import {
  BENCH_DATABASE_URL,
  BENCH_REDIS_URL,
  BENCH_EMAIL,
  BENCH_PASSWORD,
  BIG_PROJECT,
  benchConfig,
  benchEnv,
  COMMENTED_TICKET_NUMBER,
  PROXY_HEADERS,
} from './bench-config';
import { seedBench, vacuumBench } from './seed';

/**
 * `npm run bench`: every page and write of the 10,000-ticket project under load, each as a ratio
 * to the raw ceiling (bench/ceiling.ts) measured in the same run, the time from an invitation to
 * its mail at an SMTP server (through Bull and a worker), SQL statements per page, and the web
 * process's resident memory at the end. `BENCH_CHECKOUT=<dir>` measures another build (its
 * `dist/`) with this same bench, for before/after tables.
 */
const ROOT = resolve(__dirname, '..');
const CHECKOUT = resolve(process.env.BENCH_CHECKOUT || ROOT);
const APP_PORT = Number(process.env.BENCH_APP_PORT || 3310);
const CEILING_PORT = Number(process.env.BENCH_CEILING_PORT || 3311);
const DURATION = Number(process.env.BENCH_SECONDS || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 10);
const INVITES = Number(process.env.BENCH_INVITES || 200);
const UNPOLY = { 'x-up-version': '3.14.3', 'x-up-mode': 'modal', 'x-up-target': 'main' };

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
  ratio?: number;
}

async function load(options: autocannon.Options): Promise<Figures> {
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...options });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}

/** SQL statements per page, counted in-process on the same data (this checkout's code). */
async function queriesPerPage(paths: Record<string, string>): Promise<Record<string, number>> {
  const app = await createWebApp({ ...benchConfig(), isProduction: false, nodeEnv: 'test' }, { quiet: true });
  await app.init();
  try {
    const agent = request.agent(app.getHttpServer());
    agent.set(PROXY_HEADERS);
    const page = await agent.get('/login');
    const csrf = csrfFrom(page.text);
    await agent.post('/login').type('form').send({ email: BENCH_EMAIL, password: BENCH_PASSWORD, _csrf: csrf });
    await agent.get('/'); // the session's own first writes (its CSRF token) are not a page's
    const counts: Record<string, number> = {};
    for (const [name, path] of Object.entries(paths)) {
      // The first view renders everything; the next may reuse what is cached (the board's columns).
      const first = (await countQueries(app.get(Sequelize), () => agent.get(path))).count;
      const next = (await countQueries(app.get(Sequelize), () => agent.get(path))).count;
      counts[name] = next;
      if (first !== next) counts[`${name} (first view)`] = first;
    }
    return counts;
  } finally {
    await app.close();
  }
}

/** A real SMTP server that notes when each recipient's message has been received in full. */
async function startMailClock(port: number) {
  const arrived = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        for (const to of session.envelope.rcptTo) arrived.set(to.address.toLowerCase(), performance.now());
        callback();
      });
    },
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return { url: `smtp://127.0.0.1:${port}`, arrived, close: () => new Promise<void>((done) => server.close(done)) };
}

/**
 * Empties the bench's own queues (its QUEUE_PREFIX): mail left queued by an earlier run would
 * make this run's invitations wait behind it.
 */
async function emptyBenchQueues(): Promise<void> {
  const redis = new Redis(BENCH_REDIS_URL);
  try {
    for await (const keys of redis.scanStream({ match: `${benchEnv.QUEUE_PREFIX}:*`, count: 1000 }))
      if ((keys as string[]).length) await redis.del(...(keys as string[]));
  } finally {
    redis.disconnect();
  }
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];

/** Invitations one after another, each timed from the POST until its mail is at the SMTP server. */
async function inviteToMail(
  base: string,
  headers: Record<string, string>,
  csrf: string,
  mail: Awaited<ReturnType<typeof startMailClock>>,
) {
  const run = Date.now().toString(36);
  const latencies: number[] = [];
  for (let i = 0; i < INVITES; i++) {
    const email = `bench-invite-${run}-${i}@bench.hticket.test`;
    const started = performance.now();
    const response = await fetch(`${base}/invitations`, {
      method: 'POST',
      headers: { ...headers, ...UNPOLY, 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf },
      body: new URLSearchParams({ email, role: 'MEMBER' }),
    });
    if (!response.ok) throw new Error(`invitation ${i}: ${response.status}`);
    const deadline = Date.now() + 30_000;
    while (!mail.arrived.has(email)) {
      if (Date.now() > deadline) throw new Error(`no mail for invitation ${i} after 30 s`);
      await new Promise((r) => setTimeout(r, 1));
    }
    latencies.push(mail.arrived.get(email)! - started);
  }
  return {
    invitations: INVITES,
    p50: Math.round(percentile(latencies, 50)),
    p99: Math.round(percentile(latencies, 99)),
  };
}

function residentMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
}

async function benchData() {
  const db = new Client({ connectionString: BENCH_DATABASE_URL });
  await db.connect();
  try {
    const one = async (sql: string, values: unknown[]) => (await db.query<{ id: string }>(sql, values)).rows[0].id;
    const project = await one('SELECT id FROM projects WHERE name = $1', [BIG_PROJECT]);
    const ticket = await one('SELECT id FROM tickets WHERE project_id = $1 ORDER BY number DESC LIMIT 1', [project]);
    const commented = await one('SELECT id FROM tickets WHERE project_id = $1 AND number = $2', [
      project,
      COMMENTED_TICKET_NUMBER,
    ]);
    const patchable = (
      await db.query<{ id: string; version: number; status: string }>(
        'SELECT id, version, status FROM tickets WHERE project_id = $1 ORDER BY random()',
        [project],
      )
    ).rows;
    const total = Number(
      (await db.query<{ n: string }>('SELECT count(*) AS n FROM tickets WHERE project_id = $1', [project])).rows[0].n,
    );
    // New tickets go to another project, so that runs leave the measured one as it was.
    const scratch = await one('SELECT id FROM projects WHERE name <> $1 ORDER BY name LIMIT 1', [BIG_PROJECT]);
    return { project, ticket, commented, patchable, lastPage: Math.ceil(total / 50), scratch };
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  console.log('seeding (skipped when present) ...');
  await seedBench();
  await vacuumBench();
  const { project, ticket, commented, patchable, lastPage, scratch } = await benchData();
  const paths = {
    board: `/projects/${project}`,
    dashboard: '/',
    details: `/projects/${project}/tickets/${ticket}`,
    detailsWith200Comments: `/projects/${project}/tickets/${commented}`,
    listSearch: `/projects/${project}?view=list&q=database`,
    listLastPage: `/projects/${project}?view=list&page=${lastPage}`,
  };
  const queries = CHECKOUT === ROOT ? await queriesPerPage(paths) : {};

  await emptyBenchQueues();
  const mail = await startMailClock(Number(process.env.BENCH_SMTP_PORT || 3325));
  const app = startBuilt(CHECKOUT, 'main.js', { PORT: String(APP_PORT) });
  const worker = startBuilt(CHECKOUT, 'worker.js', { SMTP_URL: mail.url });
  const config = benchConfig();
  const ceiling = await startCeiling({
    databaseUrl: BENCH_DATABASE_URL,
    port: CEILING_PORT,
    sessionSecret: config.sessionSecret,
    sessionIdleMinutes: config.sessionIdleMinutes,
    sessionAbsoluteHours: config.sessionAbsoluteHours,
    secureCookie: true,
  });
  try {
    const base = `http://127.0.0.1:${APP_PORT}`;
    const ceilingBase = `http://127.0.0.1:${CEILING_PORT}`;
    await waitForReady(base, app);
    const { cookie, csrf } = await signIn(base);
    const headers = { ...PROXY_HEADERS, cookie };

    // The yardstick must write what the app writes, or the ratio means nothing.
    const [ours, theirs] = await Promise.all([
      fetch(base + paths.board, { headers }).then((r) => r.text()),
      fetch(ceilingBase + paths.board, { headers }).then((r) => r.text()),
    ]);
    const sameBytes = ours === theirs;
    console.log(
      `board page: ${ours.length} bytes; the ceiling's: ${theirs.length} bytes, ${sameBytes ? 'identical' : 'DIFFERENT'}`,
    );
    if (!sameBytes && CHECKOUT === ROOT) throw new Error('the ceiling no longer writes the board page the app writes');

    const results: Record<string, Figures> = {};
    console.log(`load: ${CONNECTIONS} connections, ${DURATION} s per scenario`);
    results.ceiling = await load({ url: ceilingBase + paths.board, headers });
    for (const [name, path] of Object.entries(paths)) results[name] = await load({ url: base + path, headers });

    const statuses = ['OPEN', 'IN_PROGRESS', 'REVIEW', 'DONE'];
    const writeHeaders = {
      ...headers,
      ...UNPOLY,
      'content-type': 'application/x-www-form-urlencoded',
      'x-csrf-token': csrf,
    };
    let next = 0;
    const patch: autocannon.Request = {
      method: 'PATCH',
      setupRequest: (req) => {
        const target = patchable[next++ % patchable.length];
        const status = statuses[(statuses.indexOf(target.status) + 1) % statuses.length];
        return {
          ...req,
          path: `${paths.board}/tickets/${target.id}`,
          headers: writeHeaders,
          body: new URLSearchParams({
            status,
            version: String(target.version),
            baseStatus: target.status,
            source: 'board',
          }).toString(),
        };
      },
    };
    // Each ticket once at most in a run (a second change would send a stale version).
    results.patchStatus = await load({ url: base, requests: [patch] });
    let created = 0;
    results.createTicket = await load({
      url: base,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => ({
            ...req,
            path: `/projects/${scratch}/tickets`,
            headers: writeHeaders,
            body: new URLSearchParams({
              title: `Bench ticket ${Date.now()}-${created++}`,
              description: 'Created by the benchmark.',
              priority: 'MEDIUM',
              status: 'OPEN',
            }).toString(),
          }),
        },
      ],
    });
    // 19 board views for each status change: a 5% write mix.
    results.mix = await load({
      url: base,
      headers,
      requests: [...Array.from({ length: 19 }, () => ({ method: 'GET' as const, path: paths.board })), patch],
    });
    results.boardAtHalfPeak = await load({
      url: base + paths.board,
      headers,
      overallRate: Math.max(1, Math.floor(results.board.rps / 2)),
    });
    for (const figures of Object.values(results))
      figures.ratio = Number((figures.rps / results.ceiling.rps).toFixed(2));

    const invitations = await inviteToMail(base, headers, csrf, mail);
    const residentMemoryMb = residentMegabytes(app.pid!);

    const report = {
      date: new Date().toISOString(),
      checkout: CHECKOUT,
      connections: CONNECTIONS,
      secondsPerScenario: DURATION,
      boardBytes: ours.length,
      ceilingWritesSameBytes: sameBytes,
      results,
      inviteToMailMs: invitations,
      residentMemoryMb,
      queriesPerPage: queries,
      targets: {
        'board >= 0.5 x ceiling': results.board.ratio! >= 0.5,
        'dashboard and details at least as fast as the board':
          results.dashboard.rps >= results.board.rps && results.details.rps >= results.board.rps,
        'p99 < 50 ms at half the board peak': results.boardAtHalfPeak.p99 < 50,
        'resident memory <= 200 MB': residentMemoryMb <= 200,
        'no errors': Object.values(results).every((r) => r.errors === 0 && r.non2xx === 0),
      },
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'latest.json'), JSON.stringify(report, null, 2));
    console.table(results);
    console.log('invitation to mail at the SMTP server (ms):', invitations);
    console.log(`resident memory of the web process: ${residentMemoryMb} MB`);
    console.log('SQL statements per page:', queries);
    for (const [target, met] of Object.entries(report.targets))
      console.log(`${met ? 'met    ' : 'NOT MET'}  ${target}`);
    console.log('written to bench/results/latest.json');
  } finally {
    app.kill('SIGTERM');
    worker.kill('SIGTERM');
    await ceiling.close();
    await mail.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
