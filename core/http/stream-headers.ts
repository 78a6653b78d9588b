import type { IncomingMessage } from 'node:http';

/**
Response headers of an event stream:
- `Cache-Control: no-cache, no-transform`: never serve a stored copy, and `no-transform`
  keeps compression middleware and proxies from buffering the body;
- `X-Accel-Buffering: no`: nginx passes each event on at once instead of buffering;
- `Connection: keep-alive` only over HTTP/1.x (the header is forbidden in HTTP/2).
`cors` comes from `corsHeaders()`.
*/
export function streamHeaders(req: IncomingMessage, cors: Readonly<Record<string, string>>): Record<string, string> {
  return {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
    ...(req.httpVersionMajor === 1 ? { Connection: 'keep-alive' } : {}),
    ...cors,
  };
}
