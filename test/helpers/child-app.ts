import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** An entry point (src/main.ts, src/worker.ts) running as its own process with only the given environment. */
export interface ChildApp {
  process: ChildProcess;
  output(): string;
  /** Resolves once the output contains `text`; rejects after `timeoutMs` or when the process exits first. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnEntry(entry: 'main' | 'worker', env: Record<string, string>): ChildApp {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', `src/${entry}.ts`], {
    cwd: ROOT,
    // ENV_FILE points nowhere so that a developer's .env cannot fill in what the test leaves out.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ENV_FILE: '/nonexistent/.env', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    listeners.forEach((notify) => notify());
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  void exited.then(() => listeners.forEach((notify) => notify()));

  return {
    process: child,
    output: () => output,
    waitForOutput(text, timeoutMs = 60_000) {
      return new Promise((ok, fail) => {
        const check = () => {
          if (output.includes(text)) return finish(ok);
          if (child.exitCode !== null || child.signalCode !== null)
            finish(() => fail(new Error(`${entry} exited before "${text}":\n${output}`)));
        };
        const timer = setTimeout(
          () => finish(() => fail(new Error(`no "${text}" from ${entry} within ${timeoutMs} ms:\n${output}`))),
          timeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}
