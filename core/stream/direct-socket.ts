import { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { StreamResponse } from './connection.js';

/**
The socket an HTTP/1.1 stream's chunks can be written to directly, once its headers
are sent, or undefined when they must go through `res.write`.

Writing the tick's chunk, framed once (see write-batch.ts), straight to each socket
skips what `res.write` does per connection (framing, a cork and a nextTick to
uncork) and puts on the wire exactly the bytes `res.write` would have. That holds
only for node:http's own response, chunked, with nothing of its own still buffered:
- node:http2's compatibility response and `sse.fetch`'s web stream frame for themselves;
- a `write` or `end` replaced on the response (compression middleware, say) must see every byte;
- without chunked encoding (an HTTP/1.0 client, a Content-Length from onConnect) the body is not framed;
- a response whose bytes still wait in it (a pipelined request's answer, a cork) would be overtaken.
*/
export function directSocket(res: StreamResponse): Socket | undefined {
  if (!(res instanceof ServerResponse)) return undefined;
  if (res.write !== ServerResponse.prototype.write || res.end !== ServerResponse.prototype.end) return undefined;
  if (!res.chunkedEncoding || !res.headersSent || res.writableCorked > 0) return undefined;
  const socket = res.socket;
  if (socket === null || socket.destroyed || res.writableLength !== socket.writableLength) return undefined;
  return socket;
}
