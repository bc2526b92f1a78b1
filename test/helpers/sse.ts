import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { eventually } from './eventually';

/** One Server-Sent Event as received: its id (if any) and its parsed data; comments count separately. */
export interface ReceivedEvent {
  id: string | null;
  data: { emit: string[]; ticketId?: string; by?: string };
}

/** An open (or refused) Server-Sent Events stream, read like a browser's EventSource would. */
export interface SseStream {
  status: number;
  headers: IncomingHttpHeaders;
  events: ReceivedEvent[];
  comments: number;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  isEnded(): boolean;
  /** The first event (after those already read) matching `match`, waiting for it up to `timeoutMs`. */
  waitFor(match: (event: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  close(): void;
}

/** Opens `path` on `baseUrl` with the session `cookie`, and `Last-Event-ID` when given. */
export function openStream(baseUrl: string, path: string, cookie: string, lastEventId?: string): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Cookie: cookie, Accept: 'text/event-stream' };
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    const req = httpRequest(new URL(path, baseUrl), { headers }, (res) => {
      let ended = false;
      let buffer = '';
      const stream: SseStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        events: [],
        comments: 0,
        ended: new Promise<void>((done) => res.once('close', () => done())).then(() => {
          ended = true;
        }),
        isEnded: () => ended,
        waitFor: (match, timeoutMs = 10_000) =>
          eventually(async () => stream.events.find(match) ?? null, timeoutMs, 20),
        close: () => req.destroy(),
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id: string | null = null;
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) stream.comments++;
            else if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data) stream.events.push({ id, data: JSON.parse(data) as ReceivedEvent['data'] });
        }
      });
      res.on('error', () => undefined);
      resolve(stream);
    });
    req.on('error', reject);
    req.end();
  });
}
