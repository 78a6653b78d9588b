import { createServer, type Server, type ServerResponse } from 'node:http';

export interface BareStreamServer {
  readonly server: Server;
  /** The open responses, each with its event-stream head already sent. */
  readonly responses: Set<ServerResponse>;
}

/**
A bare node:http server that answers every request with an event-stream head and
keeps the response open: the base the floor subjects broadcast on (each does its own
framing and writing).
*/
export function createBareStreamServer(): BareStreamServer {
  const responses = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    req.socket.setNoDelay(true);
    responses.add(res);
    res.on('close', () => responses.delete(res));
  });
  return { server, responses };
}
