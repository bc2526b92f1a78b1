import { readFileSync } from 'node:fs';
import { createServer, Socket, type AddressInfo, type Server } from 'node:net';

/**
 * A TCP proxy on a free loopback port in front of a real service (PostgreSQL, Redis), so a
 * test can take the service away from one app without touching the shared server: `cut()`
 * drops every open connection and resets new ones until `restore()`.
 */
export interface TcpProxy {
  port: number;
  /** Drops every connection now; new ones are reset until `restore()`. */
  cut(): void;
  /** Cuts as soon as a client sends bytes containing `text` (before they reach the service). */
  cutWhen(text: string): Promise<void>;
  restore(): void;
  readonly isCut: boolean;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let cut = false;
  let trigger: { text: string; fired: () => void } | null = null;

  const dropAll = () => {
    cut = true;
    for (const socket of open) socket.destroy();
    open.clear();
  };

  const server: Server = createServer((client) => {
    if (cut) return client.resetAndDestroy();
    const upstream = new Socket();
    open.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.on('data', (chunk: Buffer) => {
      if (trigger && chunk.includes(trigger.text)) {
        const { fired } = trigger;
        trigger = null;
        dropAll();
        fired();
        return;
      }
      upstream.write(chunk);
    });
    client.pause();
    upstream.connect(targetPort, targetHost, () => client.resume());
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    port: (server.address() as AddressInfo).port,
    cut: dropAll,
    cutWhen: (text) => new Promise<void>((fired) => (trigger = { text, fired })),
    restore: () => {
      cut = false;
      trigger = null;
    },
    get isCut() {
      return cut;
    },
    close: () => {
      dropAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A loopback port nobody listens on right now, for a child process or a server started later.
 * It is drawn below the kernel's ephemeral range: a port from `listen(0)` would be free only
 * until the next `listen(0)` or outgoing connection of any test worker, which may take it while
 * the child process starts (then the child fails to bind and the test talks to someone else).
 */
export async function freePort(): Promise<number> {
  const lowest = 10_000;
  const ephemeralStart = firstEphemeralPort();
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = lowest + Math.floor(Math.random() * (ephemeralStart - lowest));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free loopback port between ${lowest} and ${ephemeralStart}`);
}

function firstEphemeralPort(): number {
  try {
    const [start] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    return Math.max(Number(start) || 32_768, 11_000);
  } catch {
    return 32_768; // Linux's default; macOS starts at 49152
  }
}

function canListen(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}
