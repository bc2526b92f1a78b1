import type { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on a free loopback port that keeps every message it accepts. */
export interface SmtpSink {
  url: string;
  messages: ParsedMail[];
  /** The SMTP envelope recipients (RCPT TO) of every message accepted so far, one list per message. */
  envelopes: string[][];
  /** Messages to `address` so far. */
  to(address: string): ParsedMail[];
  /** Resolves with the `nth` (1-based) message to `address` once it has arrived. */
  waitFor(address: string, nth?: number, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
  /** Messages that `stall` held so far: accepted up to their data, never answered. */
  stalled: number;
}

export interface SmtpSinkOptions {
  /** When it returns true for a message's recipients, the sink reads the message and never answers (a sender hangs mid-send). */
  stall?: (recipients: string[]) => boolean;
}

const recipients = (mail: ParsedMail) =>
  ([] as { value: { address?: string }[] }[])
    .concat(mail.to ?? [])
    .flatMap((to) => to.value.map((v) => v.address?.toLowerCase()));

/** Addresses starting with `bounce-` are refused at RCPT TO, like a mailbox that does not exist. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const envelopes: string[][] = [];
  let stalled = 0;
  const listeners = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('bounce-')) {
        const error = new Error('mailbox unavailable') as Error & { responseCode: number };
        error.responseCode = 550;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      if (options.stall?.(session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()))) {
        stalled++;
        listeners.forEach((notify) => notify());
        stream.resume();
        return;
      }
      simpleParser(stream).then(
        (mail) => {
          envelopes.push(session.envelope.rcptTo.map((rcpt) => rcpt.address));
          messages.push(mail);
          listeners.forEach((notify) => notify());
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  // A sender that dies mid-message (a killed worker) resets its connection: not the sink's failure.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET') throw error;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  const to = (address: string) => messages.filter((m) => recipients(m).includes(address.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    envelopes,
    to,
    waitFor(address, nth = 1, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = to(address)[nth - 1];
          if (!found) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no message #${nth} to ${address} within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    get stalled() {
      return stalled;
    },
  };
}

/** The path of the join link in a message (`/join/<token>`). */
export function joinPathFrom(mail: ParsedMail): string {
  const match = /https?:\/\/[^\s"<>]+(\/join\/[A-Za-z0-9_-]+)/.exec(mail.text ?? '');
  if (!match) throw new Error('no join link in the message');
  return match[1];
}
