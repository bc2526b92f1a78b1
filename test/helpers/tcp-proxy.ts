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

/** A loopback port nobody listens on right now (for a child process or a private server). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
