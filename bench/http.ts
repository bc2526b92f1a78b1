import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { csrfFrom } from '../test/helpers/http';
import { BENCH_EMAIL, BENCH_PASSWORD, benchEnv, PROXY_HEADERS, WEB_NODE_FLAGS } from './bench-config';

/** Starts a built process of `checkout` (`dist/main.js` or `dist/worker.js`) as production runs it, on the bench's settings. */
export function startBuilt(
  checkout: string,
  script: 'main.js' | 'worker.js',
  env: Record<string, string>,
): ChildProcess {
  return spawn(process.execPath, [...WEB_NODE_FLAGS, join(checkout, 'dist', script)], {
    cwd: checkout,
    env: { PATH: process.env.PATH ?? '', ...benchEnv, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export async function waitForReady(url: string, process_: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (process_.exitCode !== null) throw new Error(`the app exited with ${process_.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the app did not become ready in 60 s');
}

/** Signs in once like a browser (the bench's people share one password): the session cookie and a CSRF token for unsafe requests. */
export async function signIn(base: string, email = BENCH_EMAIL): Promise<{ cookie: string; csrf: string }> {
  const cookieOf = (response: Response) =>
    response.headers
      .getSetCookie()
      .find((c) => c.startsWith('hticket.sid='))!
      .split(';')[0];
  const loginPage = await fetch(`${base}/login`, { headers: PROXY_HEADERS });
  let cookie = cookieOf(loginPage);
  const login = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...PROXY_HEADERS, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      email,
      password: BENCH_PASSWORD,
      _csrf: csrfFrom(await loginPage.text()),
    }),
  });
  if (login.status !== 303) throw new Error(`sign-in of ${email} failed: ${login.status}`);
  cookie = cookieOf(login);
  const home = await fetch(`${base}/`, { headers: { ...PROXY_HEADERS, cookie } });
  return { cookie, csrf: csrfFrom(await home.text()) };
}
