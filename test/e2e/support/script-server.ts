import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
A raw node:net server that plays scripted byte streams, for comparing two clients on
exactly the same bytes: the status line, headers and body are written as given, with
chosen write boundaries and delays, so nothing (node:http's framing, its header
validation) stands between a script and the client.

Paths: `/page` is an empty same-origin HTML page; `/s/CASE/CLIENT/...` plays the script
CASE for the client CLIENT (each client counts its own requests).
*/

/** One step of a response: bytes to write, a pause, or how the response ends. */
export type ScriptStep =
  { readonly write: string | Uint8Array } | { readonly delayMs: number } | { readonly end: 'close' | 'reset' | 'hold' };

interface ScriptRequest {
  /** 0 for a client's first request of this case, 1 for its first reconnect … */
  readonly index: number;
  /** The path after `/s/CASE/CLIENT` (`/` when none), with its query. */
  readonly path: string;
  /** `/s/CASE/CLIENT`: prefix a redirect's Location with it to stay in the case. */
  readonly base: string;
  /** The raw bytes of every Last-Event-ID header line's value (latin1), or undefined. */
  readonly lastEventId: string | undefined;
  /** ms since the case started for this client. */
  readonly at: number;
}

export type Script = (request: ScriptRequest) => readonly ScriptStep[];

export interface RecordedExchange extends ScriptRequest {
  /** When the response ended (ms since start), or undefined when held open. */
  endedAt: number | undefined;
}

export interface ScriptServer {
  readonly origin: string;
  /** Register a case; returns its base path for a client: `/s/CASE/CLIENT`. */
  define(caseName: string, script: Script): void;
  /** What CLIENT sent for CASE, in order. */
  requests(caseName: string, client: string): readonly RecordedExchange[];
  /** Mark the start of a case for a client (times are measured from here). */
  start(caseName: string, client: string): void;
  /** Destroy every held socket of a case (both clients). */
  finish(caseName: string): void;
  close(): Promise<void>;
}

/** `HTTP/1.1 STATUS REASON` + headers, with `Connection: close` so no socket is reused. */
export function head(status: number, headers: readonly (readonly [string, string])[], reason = 'OK'): string {
  const lines = [
    `HTTP/1.1 ${status} ${reason}`,
    ...headers.map(([name, value]) => `${name}: ${value}`),
    'Connection: close',
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export const streamHeaders: readonly (readonly [string, string])[] = [
  ['Content-Type', 'text/event-stream'],
  ['Cache-Control', 'no-cache'],
];

const PAGE = '<!doctype html><meta charset="utf-8"><title>diff</title><p>differential</p>';

export async function startScriptServer(): Promise<ScriptServer> {
  const scripts = new Map<string, Script>();
  const records = new Map<string, RecordedExchange[]>();
  const starts = new Map<string, number>();
  const held = new Map<string, Set<Socket>>();
  const sockets = new Set<Socket>();

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const endOfHead = received.indexOf('\r\n\r\n');
      if (endOfHead === -1) {
        // Bounded: a request head is small; anything larger is not one of ours.
        if (received.length > 64 * 1024) socket.destroy();
        return;
      }
      socket.off('data', onData);
      handle(socket, received.subarray(0, endOfHead).toString('latin1'));
    };
    socket.on('data', onData);
  });

  function handle(socket: Socket, requestHead: string): void {
    const [requestLine = '', ...headerLines] = requestHead.split('\r\n');
    const target = requestLine.split(' ')[1] ?? '/';
    if (target === '/page') {
      socket.end(
        `${head(200, [
          ['Content-Type', 'text/html; charset=utf-8'],
          ['Content-Length', String(PAGE.length)],
        ])}${PAGE}`,
      );
      return;
    }
    const match = /^\/s\/([^/]+)\/([^/?]+)(.*)$/.exec(target);
    const script = match === null ? undefined : scripts.get(match[1] ?? '');
    if (match === null || script === undefined) {
      socket.end(head(404, [['Content-Length', '0']], 'Not Found'));
      return;
    }
    const caseName = match[1] ?? '';
    const key = `${caseName}/${match[2] ?? ''}`;
    const lastEventIdLine = headerLines.find((line) => /^last-event-id:/i.test(line));
    const list = records.get(key) ?? [];
    records.set(key, list);
    const exchange: RecordedExchange = {
      index: list.length,
      path: match[3] === '' ? '/' : (match[3] ?? '/'),
      base: `/s/${key}`,
      lastEventId: lastEventIdLine?.slice(lastEventIdLine.indexOf(':') + 1).trim(),
      at: Date.now() - (starts.get(key) ?? Date.now()),
      endedAt: undefined,
    };
    list.push(exchange);
    void play(socket, script(exchange), caseName, () => {
      exchange.endedAt = Date.now() - (starts.get(key) ?? Date.now());
    });
  }

  async function play(
    socket: Socket,
    steps: readonly ScriptStep[],
    caseName: string,
    ended: () => void,
  ): Promise<void> {
    for (const step of steps) {
      if (socket.destroyed) return;
      if ('write' in step) {
        await new Promise<void>((resolve) => socket.write(step.write, () => resolve()));
      } else if ('delayMs' in step) {
        await new Promise((resolve) => setTimeout(resolve, step.delayMs));
      } else if (step.end === 'close') {
        ended();
        socket.end();
        return;
      } else if (step.end === 'reset') {
        ended();
        socket.resetAndDestroy();
        return;
      } else {
        const set = held.get(caseName) ?? new Set<Socket>();
        held.set(caseName, set);
        set.add(socket);
        return;
      }
    }
    ended();
    socket.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    define(caseName, script) {
      scripts.set(caseName, script);
    },
    requests(caseName, client) {
      return records.get(`${caseName}/${client}`) ?? [];
    },
    start(caseName, client) {
      starts.set(`${caseName}/${client}`, Date.now());
    },
    finish(caseName) {
      for (const socket of held.get(caseName) ?? []) socket.destroy();
      held.delete(caseName);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
