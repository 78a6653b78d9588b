import { STATUS_CODES, type ServerResponse } from 'node:http';

/** The proxy's own plain-text answer (401, 403, 502, 504, `respond` …), never cached or sniffed. */
export function answerPlain(
  res: ServerResponse,
  status: number,
  body: string,
  extra: readonly (readonly [string, string])[] = [],
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: [string, string][] = [
    ['Content-Type', 'text/plain; charset=utf-8'],
    ['Cache-Control', 'no-store'],
    ['X-Content-Type-Options', 'nosniff'],
    ...extra.map(([name, value]) => [name, value] as [string, string]),
  ];
  // The reason is given: one an earlier failed writeHead left behind must not be reused.
  res.writeHead(status, STATUS_CODES[status] ?? '', headers.flat());
  res.end(status === 204 || status === 304 ? undefined : `${body}\n`);
}

/** answerPlain that cannot throw: what it cannot write, it ends by closing the connection. */
export function answerPlainOrClose(
  res: ServerResponse,
  status: number,
  body: string,
  extra: readonly (readonly [string, string])[] = [],
): void {
  try {
    answerPlain(res, status, body, extra);
  } catch {
    res.destroy();
  }
}
