import { PLAIN_TEXT_HEADERS } from '../../index.js';

/** A whole answer, built before anything is written (every page-listener body is small). */
export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
  /** Why a request was refused, for the console log (one line). */
  readonly reason?: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** A JSON answer that no cache keeps (toggle state and config change at run time). */
export function json(status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): Reply {
  return {
    status,
    headers: { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify(value),
  };
}

/** A plain-text answer, as the library's `answerText` writes one (headers, closing line break), as a value. */
export function text(status: number, message: string, headers: Readonly<Record<string, string>> = {}): Reply {
  return { status, headers: { ...PLAIN_TEXT_HEADERS, ...headers }, body: `${message}\n` };
}

export function notFound(what: string): Reply {
  return text(404, `Not found: ${what}`);
}

/** A file's bytes; `no-cache` so edited pages show on reload. */
export function file(contentType: string, body: Buffer): Reply {
  return { status: 200, headers: { 'Content-Type': contentType, 'Cache-Control': 'no-cache' }, body };
}

/** A refusal whose reason is both the body and the log line. */
export function refused(status: number, reason: string): Reply {
  return { ...text(status, `${reason}.`), reason };
}
