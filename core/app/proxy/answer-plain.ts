import type { ServerResponse } from 'node:http';
import { answerText } from '../../index.js';

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
  const headers: Record<string, string[]> = {};
  for (const [name, value] of extra) (headers[name] ??= []).push(value);
  answerText(res, status, body, headers);
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
