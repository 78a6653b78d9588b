import type { OutgoingHttpHeaders } from 'node:http';

/** What an answer is written to: node:http's response, or the one behind `sse.fetch`'s Response. */
interface TextAnswerTarget {
  writeHead(status: number, headers: OutgoingHttpHeaders): unknown;
  end(body: string): unknown;
}

/**
Answers with a short plain-text body (refusals, 404, 405 …). Throws, like
`res.writeHead`, if `headers` holds an invalid name or value; callers that pass
headers from user code catch that. For HEAD requests Node drops the body itself.
*/
export function answerText(
  res: TextAnswerTarget,
  status: number,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(body === '' || body.endsWith('\n') ? body : `${body}\n`);
}
