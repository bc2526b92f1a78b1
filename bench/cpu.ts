import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { BENCH_DATABASE_URL, BIG_PROJECT, PROXY_HEADERS } from './bench-config';
import { signIn, startBuilt, waitForReady } from './http';
import { seedBench, vacuumBench } from './seed';

/**
 * `npm run bench:cpu [-- <checkout> ...]`: CPU milliseconds per request of the web process
 * (user + system time from /proc, over a fixed number of requests), for the board, the dashboard
 * and the ticket details. Unlike requests per second this hardly moves with the machine's other
 * load, so two builds can be compared: name several checkouts (each built with `npm run build`)
 * and they are measured interleaved, ROUNDS times, and the median of each is reported.
 */
const REQUESTS = Number(process.env.BENCH_CPU_REQUESTS || 1500);
const ROUNDS = Number(process.env.BENCH_CPU_ROUNDS || 3);
const PORT = Number(process.env.BENCH_APP_PORT || 3312);
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function cpuTicks(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function pages(): Promise<Record<string, string>> {
  const db = new Client({ connectionString: BENCH_DATABASE_URL });
  await db.connect();
  try {
    const project = (await db.query<{ id: string }>('SELECT id FROM projects WHERE name = $1', [BIG_PROJECT])).rows[0]
      .id;
    const ticket = (
      await db.query<{ id: string }>('SELECT id FROM tickets WHERE project_id = $1 ORDER BY number DESC LIMIT 1', [
        project,
      ])
    ).rows[0].id;
    return { board: `/projects/${project}`, dashboard: '/', details: `/projects/${project}/tickets/${ticket}` };
  } finally {
    await db.end();
  }
}

async function measure(checkout: string, paths: Record<string, string>): Promise<Record<string, number>> {
  const app = startBuilt(checkout, 'main.js', { PORT: String(PORT) });
  try {
    const base = `http://127.0.0.1:${PORT}`;
    await waitForReady(base, app);
    const { cookie } = await signIn(base);
    const headers = { ...PROXY_HEADERS, cookie };
    const result: Record<string, number> = {};
    for (const [name, path] of Object.entries(paths)) {
      await autocannon({ url: base + path, headers, connections: 4, amount: 200 }); // warm-up
      const before = cpuTicks(app.pid!);
      const run = await autocannon({ url: base + path, headers, connections: 4, amount: REQUESTS });
      if (run.non2xx || run.errors) throw new Error(`${name}: ${run.non2xx} non-2xx, ${run.errors} errors`);
      result[name] = ((cpuTicks(app.pid!) - before) * 1000) / TICKS_PER_SECOND / REQUESTS;
    }
    return result;
  } finally {
    app.kill();
    await new Promise((done) => app.once('exit', done));
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const checkouts = process.argv.slice(2).map((dir) => resolve(dir));
  if (!checkouts.length) checkouts.push(resolve(__dirname, '..'));
  await seedBench(() => undefined);
  await vacuumBench();
  const paths = await pages();
  const runs = new Map<string, Record<string, number>[]>(checkouts.map((c) => [c, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const checkout of checkouts) {
      const figures = await measure(checkout, paths);
      runs.get(checkout)!.push(figures);
      const line = Object.entries(figures).map(([name, ms]) => `${name} ${ms.toFixed(2)}`);
      console.log(`round ${round} ${checkout}: ${line.join(', ')} ms CPU/request`);
    }
  }
  console.log(`\nmedian of ${ROUNDS} rounds, CPU ms per request (${REQUESTS} requests, 4 connections):`);
  for (const [checkout, figures] of runs) {
    const line = Object.keys(paths).map((name) => `${name} ${median(figures.map((f) => f[name])).toFixed(2)}`);
    console.log(`  ${checkout}: ${line.join(', ')}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
