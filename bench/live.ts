import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { BENCH_DATABASE_URL, PROXY_HEADERS } from './bench-config';
import { signIn, startBuilt, waitForReady } from './http';
import { seedBench } from './seed';

/**
 * `npm run bench:live`: one web process in production mode (PostgreSQL + Redis) holds
 * BENCH_STREAMS live update streams (1,000) spread over the seeded projects and people; one ticket
 * changes; how long until each stream has the news (its project's event, and for every stream the
 * event on its person's channel: their dashboard counts), and the process's resident memory
 * before and after the streams opened.
 */
const ROOT = resolve(__dirname, '..');
const APP_PORT = Number(process.env.BENCH_APP_PORT || 3312);
const STREAMS = Number(process.env.BENCH_STREAMS || 1000);

interface Stream {
  projectIndex: number;
  firstEventAt: number | null;
  projectEventAt: number | null;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Math.round(Number(line.replace(/\D+/g, '')) / 102.4) / 10;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Opens one stream; resolves once its headers arrived (200), recording when events arrive. */
function openStream(base: string, path: string, cookie: string, stream: Stream, ticketId: string): Promise<void> {
  return new Promise((ok, fail) => {
    const req = httpRequest(
      `${base}${path}`,
      { agent: false, headers: { ...PROXY_HEADERS, cookie, accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) return fail(new Error(`stream ${path} answered ${res.statusCode}`));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (!chunk.includes('data: ')) return;
          const now = performance.now();
          stream.firstEventAt ??= now;
          if (stream.projectEventAt === null && chunk.includes(ticketId)) stream.projectEventAt = now;
        });
        ok();
      },
    );
    req.on('error', fail);
    req.end();
  });
}

/** Fails unless `port` is free: otherwise the readiness check would reach some other server. */
function assertPortFree(port: number): Promise<void> {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', () => fail(new Error(`port ${port} is in use: set BENCH_APP_PORT`)));
    probe.listen(port, () => probe.close(() => ok()));
  });
}

async function main(): Promise<void> {
  await assertPortFree(APP_PORT);
  console.log('seeding (skipped when present) ...');
  await seedBench();
  const db = new Client({ connectionString: BENCH_DATABASE_URL });
  await db.connect();
  const projects = (await db.query<{ id: string }>('SELECT id FROM projects ORDER BY name')).rows.map((r) => r.id);
  const emails = (
    await db.query<{ email: string }>("SELECT email FROM users WHERE email LIKE '%@bench.hticket.test'")
  ).rows
    .map((r) => r.email)
    .sort();
  const changed = projects[0];
  const ticket = (
    await db.query<{ id: string; version: number; status: string }>(
      'SELECT id, version, status FROM tickets WHERE project_id = $1 ORDER BY number LIMIT 1',
      [changed],
    )
  ).rows[0];
  await db.end();

  const app = startBuilt(ROOT, 'main.js', { PORT: String(APP_PORT) });
  try {
    const base = `http://127.0.0.1:${APP_PORT}`;
    await waitForReady(base, app);
    const sessions = [];
    for (const email of emails) sessions.push(await signIn(base, email));
    // A few page views, so that the memory before is that of a process that has served pages.
    for (const session of sessions.slice(0, 5))
      await fetch(`${base}/projects/${changed}`, { headers: { ...PROXY_HEADERS, cookie: session.cookie } });
    await new Promise((r) => setTimeout(r, 1000));
    const rssBefore = rssMb(app.pid!);

    const streams: Stream[] = [];
    const opening: Promise<void>[] = [];
    for (let i = 0; i < STREAMS; i++) {
      const stream: Stream = { projectIndex: i % projects.length, firstEventAt: null, projectEventAt: null };
      streams.push(stream);
      const session = sessions[i % sessions.length];
      opening.push(
        openStream(base, `/projects/${projects[stream.projectIndex]}/live`, session.cookie, stream, ticket.id),
      );
      if (opening.length % 100 === 0) await Promise.all(opening.slice(-100));
    }
    await Promise.all(opening);
    await new Promise((r) => setTimeout(r, 2000));
    const rssAfter = rssMb(app.pid!);
    console.log(`${STREAMS} streams open over ${projects.length} projects and ${sessions.length} people`);

    const changer = sessions[0];
    const inProject = streams.filter((stream) => stream.projectIndex === 0);
    /** Moves the ticket to its other status and waits until every stream has heard of it. */
    const change = async () => {
      for (const stream of streams) stream.firstEventAt = stream.projectEventAt = null;
      const startedAt = performance.now();
      const response = await fetch(`${base}/projects/${changed}/tickets/${ticket.id}`, {
        method: 'POST',
        headers: {
          ...PROXY_HEADERS,
          cookie: changer.cookie,
          'content-type': 'application/x-www-form-urlencoded',
          'x-csrf-token': changer.csrf,
          'x-up-version': '3.14.3',
        },
        body: new URLSearchParams({
          _method: 'patch',
          status: ticket.status === 'DONE' ? 'OPEN' : 'DONE',
          version: String(ticket.version),
          baseStatus: ticket.status,
          source: 'board',
        }),
      });
      if (response.status >= 300) throw new Error(`the change answered ${response.status}`);
      const answeredAfter = performance.now() - startedAt;
      ticket.status = ticket.status === 'DONE' ? 'OPEN' : 'DONE';
      ticket.version += 1;
      const deadline = Date.now() + 30_000;
      while (
        Date.now() < deadline &&
        streams.some((s) => s.firstEventAt === null || (s.projectIndex === 0 && s.projectEventAt === null))
      )
        await new Promise((r) => setTimeout(r, 20));
      return { startedAt, answeredAfter };
    };
    // The process's first change warms its code paths up; the second is measured.
    await change();
    const { startedAt, answeredAfter } = await change();
    const projectLatencies = inProject.flatMap((s) =>
      s.projectEventAt === null ? [] : [s.projectEventAt - startedAt],
    );
    const anyLatencies = streams.flatMap((s) => (s.firstEventAt === null ? [] : [s.firstEventAt - startedAt]));
    const row = (name: string, values: number[], of: number) => ({
      streams: `${values.length} / ${of}`,
      'p50 ms': Math.round(percentile(values, 50)),
      'p99 ms': Math.round(percentile(values, 99)),
      'max ms': Math.round(Math.max(...values)),
      name,
    });
    console.table([
      row("the changed project's streams: the ticket event", projectLatencies, inProject.length),
      row('every stream: its first event (project or person channel)', anyLatencies, streams.length),
    ]);
    console.log(`the change's own request (PATCH, from sending to its answer): ${Math.round(answeredAfter)} ms`);
    console.log(
      `web process resident memory: ${rssBefore} MB before, ${rssAfter} MB with ${STREAMS} streams ` +
        `(${Math.round(((rssAfter - rssBefore) * 1024) / STREAMS)} KB per stream)`,
    );
  } finally {
    app.kill('SIGTERM');
  }
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
