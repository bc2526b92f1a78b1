import request from 'supertest';
import { TEST_PASSWORD } from './factories';

type Server = Parameters<typeof request>[0];

/** Request headers Unpoly sends for a fragment update in a modal layer. */
export const UNPOLY_MODAL = { 'X-Up-Version': '3.14.3', 'X-Up-Mode': 'modal', 'X-Up-Target': 'main' };

/** The CSRF token from a page's `<meta name="csrf-token">`. */
export function csrfFrom(html: string): string {
  const match = /<meta name="csrf-token" content="([^"]*)">/.exec(html);
  if (!match?.[1]) throw new Error('page has no CSRF token');
  return match[1];
}

export function sessionCookie(response: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  return cookies.find((cookie) => cookie.startsWith('hticket.sid='))?.split(';')[0];
}

/** A browser-like client: keeps cookies and the current CSRF token. */
export interface Client {
  agent: request.Agent;
  csrf: string;
  /** Loads a page and keeps its CSRF token. */
  page(path: string): Promise<request.Response>;
}

export function client(server: Server): Client {
  const agent = request.agent(server);
  const self: Client = {
    agent,
    csrf: '',
    async page(path: string) {
      const response = await agent.get(path);
      if (response.status === 200 && response.type === 'text/html') self.csrf = csrfFrom(response.text);
      return response;
    },
  };
  return self;
}

/** Signs in through the login form, like a person would, and returns the signed-in client. */
export async function signIn(server: Server, email: string, password = TEST_PASSWORD): Promise<Client> {
  const c = client(server);
  await c.page('/login');
  const response = await c.agent.post('/login').type('form').send({ email, password, _csrf: c.csrf });
  if (response.status !== 303) throw new Error(`sign-in of ${email} failed with ${response.status}`);
  await c.page('/');
  return c;
}

/**
 * Submits a form as a browser does: a POST with the CSRF token and, for PATCH and DELETE, the
 * `_method` field; sent from a modal unless other headers are given.
 */
export function submitForm(
  c: Client,
  method: 'post' | 'patch' | 'delete',
  path: string,
  body: Record<string, unknown> = {},
  headers: Record<string, string> = UNPOLY_MODAL,
) {
  return c.agent
    .post(path)
    .set(headers)
    .type('form')
    .send({ _csrf: c.csrf, ...(method === 'post' ? {} : { _method: method }), ...body });
}
