import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { SseArgumentError } from '../errors/sse-error.js';
import type { StreamResponse } from './connection.js';
import type { SseFetchOptions } from './types.js';

/**
Bytes a fetch connection's body stream holds before it asks the stream to wait (as
node:http's `writableHighWaterMark` does): the replay pauses there; live events go on
queueing up to `maxBufferedBytes`, then the connection is dropped as too slow.
*/
const BODY_HIGH_WATER_MARK = 64 * 1024;

/** Statuses whose answers have no body (the Response constructor refuses one). */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/**
The answer to one `sse.fetch` request, written through the calls the stream makes on
a node:http response (see `StreamResponse`), and handed out as a web Response: a
plain one for refusals, HEAD and OPTIONS, or a `ReadableStream` body once the stream
flushes its 200 headers.

The body is a byte stream the client's server pulls from. What it has not pulled yet
is `writableLength`, so a client that stops reading is held to `maxBufferedBytes`
exactly as on node:http, where Node's buffer is what counts. Each write is copied:
a byte stream takes over the buffer it is given, and the stream writes one shared
encoded event to every connection. Past the high-water mark `writableNeedDrain` is
true until the server pulls again ('drain'), which is what paces a replay.

'close' is emitted once, when the answer is over: the client's server cancelled the
body (its client left), the request's signal aborted, or the stream ended it.
*/
class WebStreamResponse extends EventEmitter implements StreamResponse {
  headersSent = false;
  writableEnded = false;
  /** Resolves to the Response once there is one to give (headers flushed, or the answer ended). */
  readonly response: Promise<Response>;
  readonly #giveResponse: (response: Response) => void;
  readonly #isHead: boolean;
  readonly #signal: AbortSignal;
  #status = 200;
  #headers = new Headers();
  #controller: ReadableByteStreamController | undefined;
  #needDrain = false;
  #given = false;
  #closed = false;
  readonly #onAbort = (): void => this.#finish('abort');

  constructor(request: Request) {
    super();
    let give: (response: Response) => void = () => undefined;
    this.response = new Promise<Response>((resolve) => {
      give = resolve;
    });
    this.#giveResponse = give;
    this.#isHead = request.method.toUpperCase() === 'HEAD';
    this.#signal = request.signal;
    if (this.#signal.aborted) {
      queueMicrotask(this.#onAbort);
    } else {
      this.#signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /** True once the client's side is gone (read as the request socket's `destroyed`). */
  get gone(): boolean {
    return this.#closed || this.#signal.aborted;
  }

  get writableLength(): number {
    if (this.#closed) return 0;
    const room = this.#controller?.desiredSize;
    return room === undefined || room === null ? 0 : Math.max(0, BODY_HIGH_WATER_MARK - room);
  }

  get writableNeedDrain(): boolean {
    return this.#needDrain;
  }

  /** As node:http's: the reason phrase, if given, is dropped (a Response carries none). */
  writeHead(status: number, reasonOrHeaders: string | OutgoingHttpHeaders, maybeHeaders?: OutgoingHttpHeaders): this {
    const headers = typeof reasonOrHeaders === 'string' ? (maybeHeaders ?? {}) : reasonOrHeaders;
    if (this.headersSent) throw new Error('the answer to this request has already begun');
    const built = new Headers();
    for (const [name, value] of Object.entries(headers)) {
      // The server in front (Bun, Deno, @hono/node-server …) manages the connection,
      // and HTTP/2 forbids the header.
      if (value === undefined || name.toLowerCase() === 'connection') continue;
      // Each throws for an invalid name or value, as node:http's writeHead does.
      if (Array.isArray(value)) for (const each of value) built.append(name, each);
      else built.set(name, String(value));
    }
    this.#status = status;
    this.#headers = built;
    this.headersSent = true;
    return this;
  }

  flushHeaders(): void {
    if (this.#given || this.#closed) return;
    const body = new ReadableStream(
      {
        type: 'bytes',
        start: (controller) => {
          this.#controller = controller;
        },
        pull: () => {
          if (this.#needDrain) {
            this.#needDrain = false;
            this.emit('drain');
          }
        },
        cancel: () => this.#finish('cancel'),
      },
      { highWaterMark: BODY_HIGH_WATER_MARK },
    );
    this.#give(new Response(body, { status: this.#status, headers: this.#headers }));
  }

  write(chunk: Uint8Array): boolean {
    const controller = this.#controller;
    if (controller === undefined || this.#closed) throw new Error('this answer has no open body to write to');
    controller.enqueue(new Uint8Array(chunk)); // a copy: the byte stream takes over its buffer
    if ((controller.desiredSize ?? 0) <= 0) this.#needDrain = true;
    return !this.#needDrain;
  }

  end(body?: string): this {
    if (this.writableEnded) return this;
    this.writableEnded = true;
    if (this.#controller === undefined) {
      const empty = this.#isHead || NULL_BODY_STATUSES.has(this.#status) || body === undefined;
      this.#give(new Response(empty ? null : body, { status: this.#status, headers: this.#headers }));
    } else if (!this.#closed) {
      this.#controller.close(); // what is queued is still delivered
    }
    this.#finish('end');
    return this;
  }

  destroy(): this {
    this.writableEnded = true;
    if (!this.#closed) {
      // The client's server sees the body fail and cuts the connection, as node:http's
      // destroy() does: the client must not take a cut stream for a finished one.
      this.#controller?.error(
        new Error("the event stream dropped this connection (its 'disconnected' lifecycle event says why)"),
      );
    }
    this.#finish('destroy');
    return this;
  }

  #give(response: Response): void {
    if (this.#given) return;
    this.#given = true;
    this.#giveResponse(response);
  }

  #finish(why: 'abort' | 'cancel' | 'end' | 'destroy'): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#signal.removeEventListener('abort', this.#onAbort);
    if (why === 'abort' || why === 'cancel') {
      try {
        this.#controller?.close();
      } catch {
        // Already closed or errored by the consumer's cancel.
      }
    }
    // Nobody waits for an answer any more; the promise must still settle.
    this.#give(new Response(null, { status: 503 }));
    this.emit('close');
  }
}

/** Request headers as node:http gives them: lower-case names, repeated values joined. */
function headersOf(request: Request, url: URL): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  // A Request need not carry Host (it is in the URL); same-origin checks read it.
  headers.host ??= url.host;
  return headers;
}

/**
The request as the stream's rules, `onConnect` and `SseConnection.request` read it:
method, url (path and query), headers, HTTP version, and a socket that tells the
peer's address (from `SseFetchOptions`) and whether the client is gone. Only these:
there is no network socket behind a fetch handler.
*/
function requestView(
  request: Request,
  url: URL,
  response: WebStreamResponse,
  options: SseFetchOptions,
): IncomingMessage {
  const headers = headersOf(request, url);
  const socket = {
    remoteAddress: options.remoteAddress,
    remotePort: options.remotePort,
    get destroyed() {
      return response.gone;
    },
  };
  const view = {
    method: request.method.toUpperCase(),
    url: `${url.pathname}${url.search}`,
    headers,
    rawHeaders: Object.entries(headers).flatMap(([name, value]) => [name, String(value)]),
    httpVersion: '1.1',
    httpVersionMajor: 1,
    httpVersionMinor: 1,
    socket,
    connection: socket,
    signal: request.signal,
  };
  // The typed shape of node:http's request is the public contract of `onConnect` and
  // `SseConnection.request`; this view has the members listed above, and no more.
  return view as unknown as IncomingMessage;
}

/** The node:http-shaped pair a `sse.fetch` request is served through, and its Response. */
export interface WebExchange {
  readonly req: IncomingMessage;
  readonly res: WebStreamResponse;
}

/**
Checks a `sse.fetch` argument and makes its exchange.
@throws {@link SseArgumentError} when `request` is not a Request or `options` not valid.
*/
export function webExchange(request: Request, options: SseFetchOptions | undefined): WebExchange {
  const given = request as Partial<Request> | null | undefined;
  if (
    typeof given?.url !== 'string' ||
    typeof given.method !== 'string' ||
    typeof given.headers?.forEach !== 'function' ||
    typeof given.signal?.addEventListener !== 'function'
  ) {
    throw new SseArgumentError(
      'request',
      'sse.fetch needs a web Request (with url, method, headers and signal), as Bun.serve, Deno.serve and Hono hand one',
    );
  }
  const { remoteAddress, remotePort } = options ?? {};
  if (remoteAddress !== undefined && typeof remoteAddress !== 'string') {
    throw new SseArgumentError('remoteAddress', `remoteAddress must be a string: got ${typeof remoteAddress}`);
  }
  if (remotePort !== undefined && !(Number.isInteger(remotePort) && remotePort >= 0 && remotePort <= 65535)) {
    throw new SseArgumentError(
      'remotePort',
      `remotePort must be a whole number from 0 to 65535: got ${String(remotePort)}`,
    );
  }
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new SseArgumentError(
      'request',
      `sse.fetch needs a Request with an absolute URL: got ${JSON.stringify(request.url.slice(0, 200))}`,
    );
  }
  const res = new WebStreamResponse(request);
  return { req: requestView(request, url, res, options ?? {}), res };
}
