import express from 'express';
import Handlebars from 'handlebars';
import { Pool } from 'pg';

/**
 * The yardstick: a bare Express server that renders what the board shows, the 50 newest
 * tickets of each of the four status columns with their reporters, with one raw `pg` query and
 * a precompiled Handlebars template. The app's board throughput is reported as a ratio of this
 * server's.
 */
const template = Handlebars.compile(`<!doctype html><html><head><title>{{project}}</title></head><body><main>
<ul>{{#each tickets}}<li class="card" data-status="{{status}}"><span>#{{number}}</span> <a href="/t/{{id}}">{{title}}</a> <span class="badge">{{priority}}</span> <span>{{status}}</span> <span title="{{email}}">{{name}}</span> <time>{{created}}</time></li>{{/each}}</ul>
</main></body></html>`);

export function startBaseline(databaseUrl: string, port: number): Promise<{ close(): Promise<void> }> {
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const app = express();
  app.get('/board/:projectId', async (req, res, next) => {
    try {
      const { rows } = await pool.query<{ created_at: Date } & Record<string, unknown>>(
        `SELECT t.id, t.number, t.title, t.status, t.priority, t.created_at, u.name, u.email
           FROM unnest(ARRAY['OPEN', 'IN_PROGRESS', 'REVIEW', 'DONE']) AS s(status)
           CROSS JOIN LATERAL (
             SELECT * FROM tickets WHERE project_id = $1 AND status = s.status ORDER BY number DESC LIMIT 50
           ) t
           JOIN users u ON u.id = t.reporter_id`,
        [req.params.projectId],
      );
      res.send(
        template({
          project: req.params.projectId,
          tickets: rows.map((r) => ({ ...r, created: r.created_at.toISOString() })),
        }),
      );
    } catch (error) {
      next(error);
    }
  });
  return new Promise((resolve) => {
    const server = app.listen(port, '127.0.0.1', () =>
      resolve({ close: async () => void (await Promise.all([new Promise((r) => server.close(r)), pool.end()])) }),
    );
  });
}
