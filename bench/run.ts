import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { Sequelize } from 'sequelize-typescript';
import request from 'supertest';
import { createWebApp } from '../src/app.factory';
import { csrfFrom } from '../test/helpers/http';
import { countQueries } from '../test/helpers/query-counter';
import { startBaseline } from './baseline';
import { signIn, waitForReady } from './http';
import {
  BENCH_DATABASE_URL,
  BENCH_EMAIL,
  BENCH_PASSWORD,
  BIG_PROJECT,
  benchConfig,
  benchEnv,
  COMMENTED_TICKET_NUMBER,
  PROXY_HEADERS,
} from './bench-config';
import { seedBench } from './seed';

const ROOT = resolve(__dirname, '..');
const APP_PORT = Number(process.env.BENCH_APP_PORT || 3310);
const BASELINE_PORT = Number(process.env.BENCH_BASELINE_PORT || 3311);
const DURATION = Number(process.env.BENCH_SECONDS || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 10);

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
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

/** SQL statements per page, counted in-process on the same data. */
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

async function main(): Promise<void> {
  console.log('seeding (skipped when present) ...');
  await seedBench();
  const db = new Client({ connectionString: BENCH_DATABASE_URL });
  await db.connect();
  const project = (await db.query<{ id: string }>('SELECT id FROM projects WHERE name = $1', [BIG_PROJECT])).rows[0].id;
  const ticket = (
    await db.query<{ id: string }>('SELECT id FROM tickets WHERE project_id = $1 ORDER BY number DESC LIMIT 1', [
      project,
    ])
  ).rows[0].id;
  const commented = (
    await db.query<{ id: string }>('SELECT id FROM tickets WHERE project_id = $1 AND number = $2', [
      project,
      COMMENTED_TICKET_NUMBER,
    ])
  ).rows[0].id;
  const patchable = (
    await db.query('SELECT id, version, status FROM tickets WHERE project_id = $1 ORDER BY random()', [project])
  ).rows as {
    id: string;
    version: number;
    status: string;
  }[];
  await db.end();

  const paths = {
    board: `/projects/${project}`,
    dashboard: '/',
    details: `/projects/${project}/tickets/${ticket}`,
    detailsWith200Comments: `/projects/${project}/tickets/${commented}`,
  };
  const queries = await queriesPerPage(paths);

  const app = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...benchEnv, PORT: String(APP_PORT) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseline = await startBaseline(BENCH_DATABASE_URL, BASELINE_PORT);
  try {
    const base = `http://127.0.0.1:${APP_PORT}`;
    await waitForReady(base, app);
    const { cookie, csrf } = await signIn(base);
    const headers = { ...PROXY_HEADERS, cookie };
    const results: Record<string, Figures> = {};

    console.log(`load: ${CONNECTIONS} connections, ${DURATION} s per scenario`);
    results.baseline = await load({ url: `http://127.0.0.1:${BASELINE_PORT}/board/${project}` });
    results.board = await load({ url: base + paths.board, headers });
    results.dashboard = await load({ url: base + paths.dashboard, headers });
    results.details = await load({ url: base + paths.details, headers });
    results.detailsWith200Comments = await load({ url: base + paths.detailsWith200Comments, headers });
    let next = 0;
    const statuses = ['OPEN', 'IN_PROGRESS', 'REVIEW', 'DONE'];
    const patch: autocannon.Request = {
      method: 'PATCH',
      path: paths.board,
      setupRequest: (req) => {
        const target = patchable[next++ % patchable.length];
        const status = statuses[(statuses.indexOf(target.status) + 1) % statuses.length];
        return {
          ...req,
          path: `${paths.board}/tickets/${target.id}`,
          headers: {
            ...headers,
            'content-type': 'application/x-www-form-urlencoded',
            'x-csrf-token': csrf,
            'x-up-version': '3.14.3',
          },
          body: new URLSearchParams({
            status,
            version: String(target.version),
            baseStatus: target.status,
            source: 'board',
          }).toString(),
        };
      },
    };
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

    const ratio = results.board.rps / results.baseline.rps;
    const report = {
      date: new Date().toISOString(),
      connections: CONNECTIONS,
      secondsPerScenario: DURATION,
      results,
      boardToBaselineRatio: Number(ratio.toFixed(2)),
      queriesPerPage: queries,
      targets: {
        'board >= 0.5 x baseline': ratio >= 0.5,
        'p99 < 50 ms at half the board peak': results.boardAtHalfPeak.p99 < 50,
        'no errors': Object.values(results).every((r) => r.errors === 0 && r.non2xx === 0),
      },
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'latest.json'), JSON.stringify(report, null, 2));
    console.table(Object.fromEntries(Object.entries(results).map(([name, f]) => [name, f])));
    console.log(`board / baseline throughput: ${report.boardToBaselineRatio}`);
    console.log('SQL statements per page:', queries);
    for (const [target, met] of Object.entries(report.targets))
      console.log(`${met ? 'met    ' : 'NOT MET'}  ${target}`);
    console.log('written to bench/results/latest.json');
  } finally {
    app.kill('SIGTERM');
    await baseline.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
