import { STATUS_CODES, type OutgoingHttpHeaders } from 'node:http';

/** What an answer is written to: node:http's response, or the one behind `sse.fetch`'s Response. */
export interface TextAnswerTarget {
  /** As node:http's `ServerResponse.writeHead`. */
  writeHead(status: number, reason: string, headers: OutgoingHttpHeaders): unknown;
  /** As node:http's `ServerResponse.end`. */
  end(body?: string): unknown;
}

/**
The headers of every plain-text answer: UTF-8 text that no cache keeps and no browser
sniffs as another type.
*/
export const PLAIN_TEXT_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'text/plain; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
});

/**
Answers a request with a short plain-text body, as the stream answers its refusals
(404, 405, 503 …): {@link PLAIN_TEXT_HEADERS} and then `headers`, the status's own
reason phrase (never one a failed earlier `writeHead` left on the response), and the
body ending in a line break (none for 204 and 304, which have no body). For HEAD
requests Node drops the body itself.
@throws like `res.writeHead`, when `headers` holds an invalid name or value: catch it
when the headers come from user input, and answer again without them.
@example
```ts
if (req.url !== '/events') return answerText(res, 404, 'There is no such page');
```
*/
export function answerText(
  res: TextAnswerTarget,
  status: number,
  body: string,
  headers: Readonly<Record<string, string | string[]>> = {},
): void {
  res.writeHead(status, STATUS_CODES[status] ?? '', { ...PLAIN_TEXT_HEADERS, ...headers });
  if (status === 204 || status === 304) res.end();
  else res.end(body === '' || body.endsWith('\n') ? body : `${body}\n`);
}
