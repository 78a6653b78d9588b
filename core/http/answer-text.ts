import type { ServerResponse } from 'node:http';

/**
Answers with a short plain-text body (refusals, 404, 405 …). Throws, like
`res.writeHead`, if `headers` holds an invalid name or value; callers that pass
headers from user code catch that. For HEAD requests Node drops the body itself.
*/
export function answerText(
  res: ServerResponse,
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
