import type { IncomingMessage } from 'node:http';
import { answerHeaderProblem } from '../http/answer-rules.js';
import { answerText } from '../http/answer-text.js';
import { allowedOrigin, corsHeaders, preflightHeaders, type CorsOrigins } from '../http/cors.js';
import { checkToken, readStreamParams, STREAM_ALLOW, type StreamParams } from '../http/request-rules.js';
import { displayPath, parseTarget } from '../http/request-target.js';
import { streamHeaders } from '../http/stream-headers.js';
import type { Connection, StreamResponse } from './connection.js';
import type { ConnectAnswer, OnConnect, SseConnection } from './types.js';
import { SseArgumentError } from '../errors/sse-error.js';

/** What the request handler needs from its stream. */
export interface StreamHost {
  corsOrigins(): CorsOrigins;
  readonly token: string | undefined;
  readonly maxConnections: number | undefined;
  isStopped(): boolean;
  liveCount(): number;
  onConnect(): OnConnect | undefined;
  /** Whether `?closeAfter=N` is honoured (the `closeAfterQuery` option). */
  readonly closeAfterQuery: boolean;
  refused(status: number, reason: string, req: IncomingMessage, path: string, handle?: SseConnection): void;
  /** The connection a request that passed the stream's own rules would become (not yet live). */
  prepare(req: IncomingMessage, res: StreamResponse, path: string, params: StreamParams): Connection;
  /** Registers a GET whose 200 headers are already written and flushed. */
  open(connection: Connection): void;
}

const TOKEN_HELP = 'add ?token=TOKEN to the stream URL, or send the header Authorization: Bearer TOKEN';

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/** A hook's answer, checked: undefined (stream), or { status 200–599, headers?, body? }. */
function readAnswer(value: unknown): ConnectAnswer | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const answer = value as Partial<ConnectAnswer>;
  const { status } = answer;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    throw new SseArgumentError(
      'onConnect',
      `onConnect must return nothing (stream) or { status: 200..599, headers?, body? }: got status ${String(status)}`,
    );
  }
  if (answer.headers !== undefined && (typeof answer.headers !== 'object' || answer.headers === null)) {
    throw new SseArgumentError(
      'onConnect',
      'onConnect answer headers must be an object of header names to string values',
    );
  }
  for (const name of Object.keys(answer.headers ?? {})) {
    const problem = answerHeaderProblem(name, status);
    if (problem !== undefined) throw new SseArgumentError('onConnect', `onConnect answer ${problem}`);
  }
  if (answer.body !== undefined && typeof answer.body !== 'string') {
    throw new SseArgumentError('onConnect', 'onConnect answer body must be a string');
  }
  return answer as ConnectAnswer;
}

/**
A cross-origin request from an origin CORS does not admit. Only when CORS is
configured: a stream without it serves same-origin pages and non-browser clients.
A request whose Origin names its own Host is same-origin, whatever the list says.
*/
function isForeignOrigin(req: IncomingMessage, allowed: CorsOrigins): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || origin === '' || allowed === undefined || allowed === '*') {
    return false;
  }
  if (allowedOrigin(req, allowed) !== undefined) {
    return false;
  }
  try {
    return new URL(origin).host !== (req.headers.host ?? '').toLowerCase();
  } catch {
    return true; // "null" (a file:// page, a sandboxed frame) or garbage
  }
}

function printableOrigin(req: IncomingMessage): string {
  return JSON.stringify(
    String(req.headers.origin)
      .slice(0, 100)
      .replace(/[^\x20-\x7e]/g, '?'),
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
`sse.handle(req, res)`: the HTTP rules of an event-stream URL, in order — stopped
stream (503), method (OPTIONS preflight 204, 405 for anything but GET/HEAD), token
(401), `closeAfter` (400, when honoured), capacity (503), the onConnect hook (any
status), then the stream itself (HEAD gets its headers only). Every refusal is
reported. `settle` gets the connection when it streams, else undefined; only its
first call counts (it may be called again when the response closes later).
*/
export function handleStreamRequest(
  host: StreamHost,
  req: IncomingMessage,
  res: StreamResponse,
  settle: (connection: Connection | undefined) => void,
): void {
  const target = parseTarget(req.url);
  const path = displayPath(target);
  const method = req.method ?? 'GET';
  const cors = corsHeaders(req, host.corsOrigins());

  // Set once the request passed the stream's own rules (so the hook sees it); read by
  // `refuse`, which also runs before that point.
  // eslint-disable-next-line prefer-const -- declared before `refuse`, assigned after the checks
  let prepared: Connection | undefined;

  function refuse(status: number, reason: string, body: string, headers: Record<string, string> = {}): void {
    settle(undefined);
    if (!res.headersSent) {
      try {
        answerText(res, status, body, { ...cors, ...headers });
      } catch (error) {
        // Only headers from an onConnect hook can be invalid: say so instead.
        const problem = `onConnect answer could not be sent: ${messageOf(error)}`;
        answerText(res, 500, problem, cors);
        host.refused(500, problem, req, path, prepared?.handle);
        return;
      }
    } else {
      res.end();
    }
    host.refused(status, reason, req, path, prepared?.handle);
  }

  const full = (): boolean => host.maxConnections !== undefined && host.liveCount() >= host.maxConnections;
  const refuseStopped = (): void =>
    refuse(503, 'stream stopped', 'This event stream has stopped and accepts no more connections.');
  const refuseFull = (): void => {
    const limit = String(host.maxConnections);
    refuse(
      503,
      `too many connections (limit ${limit})`,
      `This event stream already has ${limit} connections, its limit. Close one and try again.`,
    );
  };

  if (host.isStopped()) {
    refuseStopped();
    return;
  }
  if (method === 'OPTIONS') {
    res.writeHead(204, preflightHeaders(req, host.corsOrigins()));
    res.end();
    settle(undefined);
    return;
  }
  if (method !== 'GET' && method !== 'HEAD') {
    refuse(
      405,
      `method ${method} not allowed`,
      `${method} is not allowed here. An event stream answers GET (the stream), ` +
        'HEAD (its headers only) and OPTIONS (CORS preflight).',
      { Allow: STREAM_ALLOW },
    );
    return;
  }
  if (isForeignOrigin(req, host.corsOrigins())) {
    // The browser would hide the data anyway; refusing keeps the connection from
    // being held and counted, and tells the user why the page shows nothing.
    refuse(
      403,
      `origin ${printableOrigin(req)} not allowed`,
      `Origin ${printableOrigin(req)} may not read this event stream. Allowed: the demo pages' origin` +
        ' and those given with --cors (or corsOrigins).',
    );
    return;
  }
  if (host.token !== undefined) {
    const check = checkToken(req, target, host.token);
    if (check !== 'ok') {
      const what = check === 'missing' ? 'missing token' : 'wrong token';
      refuse(401, what, `This event stream needs a token (${what}): ${TOKEN_HELP}.`, {
        'WWW-Authenticate': 'Bearer realm="event stream"',
      });
      return;
    }
  }
  const read = readStreamParams(req, target, host.closeAfterQuery);
  if (!read.ok) {
    refuse(400, read.problem, read.problem);
    return;
  }
  const params = read.params;
  if (full()) {
    refuseFull();
    return;
  }
  const connection = host.prepare(req, res, path, params);
  prepared = connection;

  function proceed(answer: ConnectAnswer | undefined): void {
    if (req.socket.destroyed || res.writableEnded) {
      settle(undefined);
      return; // the client left first (or other code answered): nothing to serve
    }
    if (answer !== undefined && answer.status !== 200) {
      refuse(answer.status, `onConnect answered ${answer.status}`, answer.body ?? '', { ...answer.headers });
      return;
    }
    try {
      res.writeHead(200, { ...streamHeaders(req, cors), ...answer?.headers });
    } catch (error) {
      const problem = `onConnect headers are invalid: ${messageOf(error)}`;
      refuse(500, problem, problem);
      return;
    }
    if (method === 'HEAD') {
      res.end();
      settle(undefined);
      return;
    }
    // Send the headers now, before any event: EventSource fires `open` on them.
    res.flushHeaders();
    host.open(connection);
    settle(connection);
  }

  function hookFailed(error: unknown): void {
    const problem = `onConnect hook failed: ${messageOf(error)}`;
    refuse(500, problem, problem);
  }

  const hook = host.onConnect();
  if (hook === undefined) {
    proceed(undefined);
    return;
  }
  let result: unknown;
  try {
    result = hook(req, connection.handle);
  } catch (error) {
    hookFailed(error);
    return;
  }
  if (!isPromiseLike(result)) {
    let answer: ConnectAnswer | undefined;
    try {
      answer = readAnswer(result);
    } catch (error) {
      hookFailed(error);
      return;
    }
    proceed(answer);
    return;
  }
  // An async hook: the client may leave, or the stream stop or fill up, meanwhile.
  let gone = false;
  res.once('close', () => {
    gone = true;
    settle(undefined);
  });
  result.then(
    (value) => {
      if (gone) {
        return;
      }
      if (host.isStopped()) {
        refuseStopped();
        return;
      }
      let answer: ConnectAnswer | undefined;
      try {
        answer = readAnswer(value);
      } catch (error) {
        hookFailed(error);
        return;
      }
      if ((answer === undefined || answer.status === 200) && full()) {
        refuseFull();
        return;
      }
      proceed(answer);
    },
    (error: unknown) => {
      if (!gone) {
        hookFailed(error);
      }
    },
  );
}
