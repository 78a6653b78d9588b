import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ListenError, SseArgumentError, SseError } from '../../../core/errors/sse-error.js';
import { listen, PORT_FALLBACK_TRIES } from '../../../core/http/listen.js';
import { useCleanup } from '../stream/support.js';

const cleanup = useCleanup();

/** A plain TCP listener holding a port for the test's duration; resolves to the port (or undefined if it was taken). */
function occupy(port = 0): Promise<number | undefined> {
  const holder: Server = createServer();
  return new Promise((resolve) => {
    holder.once('error', () => resolve(undefined));
    holder.listen({ port, host: '127.0.0.1' }, () => {
      cleanup(() => new Promise((done) => holder.close(() => done(undefined))));
      resolve((holder.address() as AddressInfo).port);
    });
  });
}

function newServer(): ReturnType<typeof createHttpServer> {
  const server = createHttpServer((_req, res) => res.end('ok'));
  cleanup(() => new Promise((done) => server.close(() => done(undefined))));
  return server;
}

describe('listen', () => {
  it('port 0 picks a free port', async () => {
    const result = await listen(newServer(), { port: 0 });
    expect(result.requestedPort).toBe(0);
    expect(result.port).toBeGreaterThan(0);
  });

  it('rejects a busy port without fallback, saying what to do', async () => {
    const busy = (await occupy()) ?? 0;
    const server = newServer();
    const error = await listen(server, { port: busy }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ListenError);
    expect(error).toBeInstanceOf(SseError);
    expect((error as ListenError).code).toBe('ERR_SSE_LISTEN');
    expect((error as ListenError).systemCode).toBe('EADDRINUSE');
    expect((error as Error).message).toBe(
      `Port ${busy} on 127.0.0.1 is already in use (another program is listening there). Pass another port, or port 0 to let the system pick a free one.`,
    );
    expect(server.listening).toBe(false);
    // The same server can still listen elsewhere afterwards.
    expect((await listen(server, { port: 0 })).port).toBeGreaterThan(0);
  });

  it('with portFallback, moves past a busy port and reports both', async () => {
    const busy = (await occupy()) ?? 0;
    const result = await listen(newServer(), { port: busy, portFallback: true });
    expect(result.requestedPort).toBe(busy);
    expect(result.port).toBeGreaterThan(busy);
    expect(result.port).toBeLessThanOrEqual(busy + PORT_FALLBACK_TRIES);
  });

  it('gives up after the fallback range, naming it', async () => {
    const first = (await occupy()) ?? 0; // an ephemeral port: there is room above it for the range
    for (let port = first + 1; port <= first + PORT_FALLBACK_TRIES; port += 1) {
      await occupy(port); // a port some other program holds is just as busy
    }
    const error = await listen(newServer(), { port: first, portFallback: true }).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe(
      `Ports ${first}-${first + PORT_FALLBACK_TRIES} on 127.0.0.1 are all in use. Pass another port, or port 0 to let the system pick a free one.`,
    );
  });

  it.each([-1, 65536, 1.5, Number.NaN])('refuses port %s', async (port) => {
    const error = await listen(newServer(), { port }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SseArgumentError);
    expect(error).toMatchObject({
      code: 'ERR_SSE_ARGUMENT',
      argument: 'port',
      message: `port must be a whole number from 0 to 65535 (0 picks a free port): got ${String(port)}`,
    });
  });

  it('explains an address that is not this machine', async () => {
    const error = await listen(newServer(), { port: 0, host: '192.0.2.1' }).catch((caught: unknown) => caught);
    expect((error as ListenError).systemCode).toBe('EADDRNOTAVAIL');
    expect((error as Error).message).toMatch(/^Cannot listen on 192\.0\.2\.1: it is not an address of this machine/);
  });
});
