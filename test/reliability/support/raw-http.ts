/**
Raw HTTP exchanges on a plain socket, for requests that `node:http` refuses to send
(malformed lines, NUL or bare CR in a header, huge heads, one byte at a time).
*/
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';

/** How the server dealt with one raw request. */
export interface RawAnswer {
  /** The status of the answer, if one arrived. */
  readonly status: number | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The server closed (or reset) the connection. */
  readonly closedByServer: boolean;
  /** The answer is an open event stream (200, text/event-stream). */
  readonly streaming: boolean;
}

interface ParsedHead {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly bodyStart: number;
}

/** The final answer's head; interim answers (`100 Continue`) before it are skipped. */
function parseHead(bytes: Buffer): ParsedHead | undefined {
  let start = 0;
  for (;;) {
    const end = bytes.indexOf('\r\n\r\n', start);
    if (end === -1) return undefined;
    const [statusLine = '', ...lines] = bytes.subarray(start, end).toString('latin1').split('\r\n');
    const status = Number(statusLine.split(' ')[1]);
    if (status >= 100 && status < 200) {
      start = end + 4;
      continue;
    }
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    return { status, headers, bodyStart: end + 4 };
  }
}

/** The payload of a whole chunked body, or undefined while its last chunk has not arrived. */
function dechunk(body: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd === -1) return undefined;
    const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) return undefined;
    if (size === 0) return Buffer.concat(parts);
    if (body.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** True once `bytes` hold a whole answer, or the head of an event stream. */
function complete(bytes: Buffer): boolean {
  const head = parseHead(bytes);
  if (head === undefined) return false;
  if (head.headers['content-type']?.startsWith('text/event-stream') === true) return true;
  if (head.headers['transfer-encoding'] === 'chunked') return dechunk(bytes.subarray(head.bodyStart)) !== undefined;
  const length = head.headers['content-length'];
  if (length !== undefined) return bytes.length >= head.bodyStart + Number(length);
  // No length and not a stream: the body ends when the server closes.
  return head.status === 204 || head.status === 304;
}

function toAnswer(bytes: Buffer, closedByServer: boolean): RawAnswer {
  const head = parseHead(bytes);
  const contentType = head?.headers['content-type'] ?? '';
  const rawBody = head === undefined ? Buffer.alloc(0) : bytes.subarray(head.bodyStart);
  const chunked = head?.headers['transfer-encoding'] === 'chunked' && !contentType.startsWith('text/event-stream');
  return {
    status: head?.status,
    headers: head?.headers ?? {},
    body: ((chunked ? dechunk(rawBody) : undefined) ?? rawBody).toString('utf8'),
    closedByServer,
    streaming: head?.status === 200 && contentType.startsWith('text/event-stream'),
  };
}

export interface ExchangeOptions {
  /** Fails when neither an answer nor a close came within this time. */
  readonly timeoutMs?: number;
}

/**
Writes `request` as is and waits for a whole answer or for the server to close. The
test's side closes the socket afterwards, so a stream answer ends there.
*/
export function exchange(port: number, request: string | Buffer, options: ExchangeOptions = {}): Promise<RawAnswer> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (closedByServer: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(toAnswer(received, closedByServer));
    };
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const seen = received.subarray(0, 200).toString('latin1');
      reject(new Error(`no answer and no close within ${timeoutMs} ms (received ${JSON.stringify(seen)})`));
    }, timeoutMs);
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      if (complete(received)) finish(false);
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.write(request);
  });
}

export interface SimpleResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
One ordinary request through node:http, on a fresh socket. `path`, when given, is
sent exactly as written instead of the URL's (no normalisation), so traversal
attempts reach the server unchanged.
*/
export function fetchOnce(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number; path?: string } = {},
): Promise<SimpleResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: init.path ?? `${target.pathname}${target.search}`,
        method: init.method ?? 'GET',
        headers: init.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(init.timeoutMs ?? 10_000, () => req.destroy(new Error(`no answer from ${url}`)));
    req.on('error', reject);
    req.end(init.body);
  });
}

/** The status and headers of a GET that may be an endless stream; the connection is then dropped. */
export function fetchHead(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, headers, agent: false },
      (res) => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers });
        req.destroy();
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer from ${url}`)));
    req.on('error', reject);
    req.end();
  });
}
