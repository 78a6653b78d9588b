import type { Page } from 'playwright-core';
import { createSseClient } from '../../../core/client/create-sse-client.js';
import type { SseClientOptions } from '../../../core/client/types.js';
import type { RecordedExchange, ScriptServer } from './script-server.js';

/** What one client did with one script, in a form both clients can produce. */
export interface Observed {
  /** `open`, `error:0` (reconnecting), `error:2` (closed) and events, in order. */
  readonly log: readonly string[];
  readonly events: readonly { readonly type: string; readonly data: string; readonly lastEventId: string }[];
  readonly requests: number;
  /** The path of each request after the first (where reconnects went). */
  readonly paths: readonly string[];
  /** The Last-Event-ID bytes of each request (latin1 view), `-` for none. */
  readonly lastEventIds: readonly string[];
  /** Each reconnect's delay in coarse buckets: soon (< 1.5 s), default (1.5–6 s). */
  readonly delays: readonly string[];
}

export interface RunOptions {
  readonly caseName: string;
  /** Event types to listen for besides `message` (a page must name them). */
  readonly types: readonly string[];
  /** How long to watch when the client does not close by itself. */
  readonly windowMs: number;
}

/** Chromium's EventSource, from the same-origin page the script server serves. */
export async function runChromium(page: Page, server: ScriptServer, options: RunOptions): Promise<Observed> {
  server.start(options.caseName, 'chromium');
  const seen = await page.evaluate(
    ({ url, types, windowMs }) =>
      new Promise<{ log: string[]; events: { type: string; data: string; lastEventId: string }[] }>((resolve) => {
        const log: string[] = [];
        const events: { type: string; data: string; lastEventId: string }[] = [];
        const source = new EventSource(url);
        const done = () => {
          clearTimeout(timer);
          source.close();
          resolve({ log, events });
        };
        const timer = setTimeout(done, windowMs);
        source.onopen = () => log.push('open');
        source.onerror = () => {
          log.push(`error:${source.readyState}`);
          if (source.readyState === 2) done();
        };
        for (const type of ['message', ...types]) {
          source.addEventListener(type, (event) => {
            const message = event as MessageEvent;
            log.push(`event:${type}`);
            events.push({ type, data: String(message.data), lastEventId: message.lastEventId });
          });
        }
      }),
    { url: `/s/${options.caseName}/chromium`, types: options.types, windowMs: options.windowMs },
  );
  return { ...seen, ...fromServer(server.requests(options.caseName, 'chromium')) };
}

/** createSseClient on the same script. */
export async function runOurs(
  server: ScriptServer,
  options: RunOptions,
  clientOptions: Partial<Omit<SseClientOptions, 'url' | `on${string}`>> = {},
): Promise<Observed> {
  server.start(options.caseName, 'ours');
  const log: string[] = [];
  const events: { type: string; data: string; lastEventId: string }[] = [];
  const wanted = new Set(['message', ...options.types]);
  const client = createSseClient({
    url: `${server.origin}/s/${options.caseName}/ours`,
    ...clientOptions,
    onConnect: () => log.push('open'),
    onReconnecting: () => log.push('error:0'),
    onClose: (info) => {
      if (info.reason === 'failed') log.push('error:2');
    },
    onEvent: (event) => {
      if (!wanted.has(event.event)) return;
      log.push(`event:${event.event}`);
      events.push({ type: event.event, data: event.data, lastEventId: event.lastEventId });
    },
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([client.closed, new Promise((resolve) => (timer = setTimeout(resolve, options.windowMs)))]);
  clearTimeout(timer);
  client.close();
  return { log, events, ...fromServer(server.requests(options.caseName, 'ours')) };
}

function fromServer(
  requests: readonly RecordedExchange[],
): Pick<Observed, 'requests' | 'paths' | 'lastEventIds' | 'delays'> {
  return {
    requests: requests.length,
    paths: requests.slice(1).map((request) => request.path),
    lastEventIds: requests.map((request) => request.lastEventId ?? '-'),
    delays: requests.slice(1).map((request, index) => {
      const endedAt = requests[index]?.endedAt;
      if (endedAt === undefined) return 'after a drop';
      const delay = request.at - endedAt;
      return delay < 1500 ? 'soon' : delay < 6000 ? 'default' : 'late';
    }),
  };
}
