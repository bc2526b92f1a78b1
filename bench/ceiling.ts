import { createHmac, timingSafeEqual } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import hbs from 'hbs';
import helmet from 'helmet';
import { Pool } from 'pg';
import { CARD_PEOPLE, CARD_TICKET_COLUMNS, TICKET_STATUSES, TicketStatus } from '../src/common/board-contract';
import { securityHeaderOptions } from '../src/app.setup';
import { registerViewHelpers } from '../src/common/views/view-helpers';
import { assigneeFilterOptions, boardUrl, listUrl } from '../src/tickets/board-links';
import { boardColumnView } from '../src/tickets/ticket-view';
import { renderMarkdown } from '../src/common/markdown';
import type { BoardCard } from '../src/tickets/board-cards';

/**
 * The yardstick: what the board's own design allows on Node, with nothing in between. A raw
 * `node:http` server and `pg` with prepared statements that gives the board's guarantees (the
 * signed session cookie, the session row unexpired, the user active and of the session's
 * generation, the absolute session lifetime, membership and the board version read fresh on
 * every request, the idle-timeout touch and rolling cookie, the same security headers) and
 * writes the same bytes from the same templates, with the same cache of rendered columns. The
 * benchmark checks that its page equals the app's, byte for byte, before measuring.
 *
 * Only the happy path is served: anything else answers 404 (the benchmark never asks for it).
 */

export interface CeilingOptions {
  databaseUrl: string;
  port: number;
  sessionSecret: string;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  secureCookie: boolean;
}

const VIEWS = join(__dirname, '..', 'views');
const COLUMN_SIZE = 50;
const TOUCH_INTERVAL_MS = 60_000;

/** One round trip: the session, its user, the project with its counters and the person's access, the unread count. */
const CONTEXT = {
  name: 'ceiling-context',
  text: `SELECT s.data, u.id AS user_id, u.email, u.name, u.avatar, u.role, u.is_active, u.session_generation,
      p.id AS project_id, p.name AS project_name, p.description, p.board_version,
      p.open_tickets, p.in_progress_tickets, p.review_tickets, p.done_tickets,
      (u.role = 'MANAGER' OR EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = u.id)) AS allowed,
      (SELECT count(*) FROM notifications n WHERE n.recipient_id = u.id AND n.read_at IS NULL)::int AS unread
    FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN projects p ON p.id = $2
    WHERE s.sid = $1 AND s.expires > now()`,
};

const personColumns = (alias: string, role: keyof typeof CARD_PEOPLE) =>
  [
    `${alias}.${CARD_PEOPLE[role].key} AS "${role}_id"`,
    ...Object.entries(CARD_PEOPLE[role].columns).map(([name, column]) => `${alias}.${column} AS "${role}_${name}"`),
  ].join(', ');
const CARDS = {
  name: 'ceiling-cards',
  text: `SELECT * FROM unnest($2::text[]) AS s(status) CROSS JOIN LATERAL (
      SELECT ${Object.entries(CARD_TICKET_COLUMNS)
        .filter(([name]) => name !== 'status')
        .map(([name, column]) => `t.${column} AS "${name}"`)
        .join(', ')}, ${personColumns('r', 'reporter')}, ${personColumns('a', 'assignee')}
        FROM tickets t LEFT JOIN users r ON r.id = t.reporter_id LEFT JOIN users a ON a.id = t.assignee_id
       WHERE t.project_id = $1 AND t.status = s.status ORDER BY t.number DESC LIMIT ${COLUMN_SIZE + 1}) c`,
};
const TOUCH = {
  name: 'ceiling-touch',
  text: 'UPDATE sessions SET expires = $2, last_seen_at = now(), updated_at = now() WHERE sid = $1',
};

interface Context {
  data: string;
  user_id: string;
  email: string;
  name: string;
  avatar: string | null;
  role: string;
  is_active: boolean;
  session_generation: number;
  project_id: string | null;
  project_name: string;
  description: string;
  board_version: number;
  open_tickets: number;
  in_progress_tickets: number;
  review_tickets: number;
  done_tickets: number;
  allowed: boolean;
  unread: number;
}

function unsign(signed: string, secret: string): string | null {
  if (!signed.startsWith('s:')) return null;
  const value = signed.slice(2, signed.lastIndexOf('.'));
  const expected = Buffer.from(
    `${value}.${createHmac('sha256', secret).update(value).digest('base64').replace(/=+$/, '')}`,
  );
  const given = Buffer.from(signed.slice(2));
  return expected.length === given.length && timingSafeEqual(expected, given) ? value : null;
}

/** Helmet's headers with the app's options, computed once. */
function securityHeaders(secure: boolean): [string, string | number | readonly string[]][] {
  const collected = new ServerResponse(new IncomingMessage(null as never));
  helmet(securityHeaderOptions(secure))(collected.req, collected, () => undefined);
  return Object.entries(collected.getHeaders()).map(([name, value]) => [name, value!]);
}

function templates() {
  const instance = hbs.create();
  registerViewHelpers(instance as unknown as typeof hbs);
  const read = (path: string) => readFileSync(join(VIEWS, path), 'utf8');
  const register = (dir: string, prefix = '') => {
    for (const entry of readdirSync(join(VIEWS, 'partials', dir), { withFileTypes: true })) {
      if (entry.isDirectory()) register(join(dir, entry.name), `${prefix}${entry.name}/`);
      else if (entry.name.endsWith('.hbs'))
        instance.registerPartial(prefix + entry.name.slice(0, -4), read(join('partials', dir, entry.name)));
    }
  };
  register('');
  const options = { allowProtoPropertiesByDefault: true, allowProtoMethodsByDefault: true };
  const compile = (source: string) => {
    const template = instance.handlebars.compile(source);
    return (locals: object) => template(locals, options);
  };
  return {
    layout: compile(read('layouts/main.hbs')),
    board: compile(read('tickets/board.hbs')),
    columns: compile('{{> tickets/columns}}'),
  };
}

export function startCeiling(options: CeilingOptions): Promise<{ close(): Promise<void> }> {
  const pool = new Pool({ connectionString: options.databaseUrl, max: 10 });
  const views = templates();
  const headers = securityHeaders(options.secureCookie);
  const columnsCache = new Map<string, Buffer>();
  const touched = new Map<string, number>();
  const descriptions = new Map<string, { source: string; html: string }>();

  async function columns(ctx: Context, now: Date): Promise<Buffer> {
    const key = `${ctx.project_id}:${ctx.board_version}:${Math.floor(now.getTime() / 60_000)}`;
    const hit = columnsCache.get(key);
    if (hit) return hit;
    type CardRow = Omit<BoardCard, 'reporter' | 'assignee'> & Record<string, unknown>;
    const { rows } = await pool.query<CardRow>({ ...CARDS, values: [ctx.project_id, TICKET_STATUSES] });
    const byStatus = new Map<TicketStatus, BoardCard[]>(TICKET_STATUSES.map((status) => [status, []]));
    const person = (row: CardRow, role: string) =>
      row[`${role}_id`]
        ? {
            id: row[`${role}_id`] as string,
            email: row[`${role}_email`] as string,
            name: row[`${role}_name`] as string,
            avatar: row[`${role}_avatar`] as string | null,
          }
        : null;
    for (const row of rows)
      byStatus.get(row.status)!.push({ ...row, reporter: person(row, 'reporter'), assignee: person(row, 'assignee') });
    const totals: Record<TicketStatus, number> = {
      OPEN: ctx.open_tickets,
      IN_PROGRESS: ctx.in_progress_tickets,
      REVIEW: ctx.review_tickets,
      DONE: ctx.done_tickets,
    };
    const project = { id: ctx.project_id! };
    const view = TICKET_STATUSES.map((status) => {
      const cards = byStatus.get(status)!;
      const more = cards.length > COLUMN_SIZE;
      const shown = cards.slice(0, COLUMN_SIZE);
      return boardColumnView(
        project,
        { status, tickets: shown, total: totals[status], nextBefore: more ? shown[shown.length - 1].number : null },
        now,
      );
    });
    const html = Buffer.from(views.columns({ columns: view }));
    columnsCache.clear();
    columnsCache.set(key, html);
    return html;
  }

  function descriptionHtml(projectId: string, source: string): string {
    const cached = descriptions.get(projectId);
    if (cached?.source === source) return cached.html;
    const html = renderMarkdown(source);
    descriptions.set(projectId, { source, html });
    return html;
  }

  async function board(req: IncomingMessage, res: ServerResponse, projectId: string): Promise<void> {
    const signed = sessionCookie(req.headers.cookie);
    const sid = signed ? unsign(signed, options.sessionSecret) : null;
    if (!sid) return notFound(res);
    const { rows } = await pool.query<Context>({ ...CONTEXT, values: [sid, projectId] });
    const ctx = rows[0];
    if (!ctx || !ctx.is_active || !ctx.project_id || !ctx.allowed) return notFound(res);
    const session = JSON.parse(ctx.data) as {
      passport?: { user?: { id: string; generation: number } };
      startedAt?: number;
      csrfToken?: string;
      flash?: unknown[];
    };
    const signedIn = session.passport?.user;
    if (signedIn?.id !== ctx.user_id || signedIn.generation !== ctx.session_generation) return notFound(res);
    if (!session.startedAt || Date.now() - session.startedAt > options.sessionAbsoluteHours * 3_600_000)
      return notFound(res);
    if (!session.csrfToken || session.flash?.length) return notFound(res);

    const now = new Date();
    const expires = new Date(now.getTime() + options.sessionIdleMinutes * 60_000);
    if (now.getTime() - (touched.get(sid) ?? 0) >= TOUCH_INTERVAL_MS) {
      touched.set(sid, now.getTime());
      await pool.query({ ...TOUCH, values: [sid, expires] });
    }
    const project = {
      id: ctx.project_id,
      name: ctx.project_name,
      description: ctx.description,
      descriptionHtml: descriptionHtml(ctx.project_id, ctx.description),
      url: `/projects/${ctx.project_id}`,
    };
    const locals = {
      currentUser: {
        id: ctx.user_id,
        email: ctx.email,
        name: ctx.name,
        avatar: ctx.avatar,
        displayName: ctx.name || ctx.email,
        isManager: ctx.role === 'MANAGER',
      },
      csrfParam: '_csrf',
      csrfToken: session.csrfToken,
      isProduction: true,
      flash: [],
      unreadCount: ctx.unread,
      title: project.name,
    };
    const body = views.board({
      ...locals,
      project,
      newTicketUrl: `/projects/${project.id}/tickets/new`,
      boardUrl: boardUrl(project.id),
      listUrl: listUrl(project.id, {}),
      assignee: '',
      assigneesUrl: `/projects/${project.id}/assignees`,
      isBoard: true,
      assignees: assigneeFilterOptions([]),
    });
    const page = views.layout({ ...locals, body });
    const fragment = await columns(ctx, now);
    const at = page.indexOf('<!--fragment-->');
    const chunks = [Buffer.from(page.slice(0, at)), fragment, Buffer.from(page.slice(at + '<!--fragment-->'.length))];
    for (const [name, value] of headers) res.setHeader(name, value);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader(
      'Set-Cookie',
      `hticket.sid=${encodeURIComponent(signed!)}; Path=/; Expires=${expires.toUTCString()}; HttpOnly${options.secureCookie ? '; Secure' : ''}; SameSite=Lax`,
    );
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader(
      'Content-Length',
      chunks.reduce((length, chunk) => length + chunk.length, 0),
    );
    res.write(chunks[0]);
    res.write(chunks[1]);
    res.end(chunks[2]);
  }

  const server = createServer((req, res) => {
    const match = /^\/projects\/([0-9a-f-]{36})$/.exec(req.url ?? '');
    if (req.method !== 'GET' || !match) return notFound(res);
    board(req, res, match[1]).catch((error: unknown) => {
      console.error(error);
      res.statusCode = 500;
      res.end();
    });
  });
  return new Promise((resolve) => {
    server.listen(options.port, '127.0.0.1', () =>
      resolve({ close: async () => void (await Promise.all([new Promise((r) => server.close(r)), pool.end()])) }),
    );
  });
}

function sessionCookie(header: string | undefined): string | undefined {
  const match = /(?:^|;\s*)hticket\.sid=([^;]*)/.exec(header ?? '');
  return match ? decodeURIComponent(match[1]) : undefined;
}

function notFound(res: ServerResponse): void {
  res.statusCode = 404;
  res.end('Not found');
}
