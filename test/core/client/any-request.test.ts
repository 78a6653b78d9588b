import { afterEach, describe, expect, it } from 'vitest';
import { createSseClient } from '../../../core/client/create-sse-client.js';
import type { SseClient } from '../../../core/client/types.js';
import { recordClient } from './support/record-client.js';
import { startTestServer, waitFor, writeStreamHead } from './support/test-server.js';
import type { TestServer } from './support/test-server.js';

const servers: TestServer[] = [];
const clients: SseClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A small streaming POST endpoint: echoes method and body as the first event, then ends. */
async function streamingEndpoint(): Promise<TestServer> {
  const server = await startTestServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    writeStreamHead(res);
    res.end(`retry: 0\ndata: ${req.method ?? ''} ${Buffer.concat(chunks).toString('utf8')}\n\n`);
  });
  servers.push(server);
  return server;
}

describe('createSseClient with any request', () => {
  it('sends the method and body, reports the method, and by default does not reconnect after a POST', async () => {
    const server = await streamingEndpoint();
    const recorded = recordClient({ url: server.url, method: 'post', body: '{"q":1}' }, clients);
    const info = await recorded.client.closed;
    expect(info.reason).toBe('ended');
    expect(recorded.events.map((event) => event.data)).toEqual(['POST {"q":1}']);
    expect(recorded.connects[0]?.method).toBe('POST');
    expect(server.requests).toHaveLength(1);
  });

  it('re-sends the body on every reconnect when reconnecting is asked for', async () => {
    const server = await streamingEndpoint();
    const recorded = recordClient(
      { url: server.url, method: 'PUT', body: Uint8Array.of(0x61), reconnect: true },
      clients,
    );
    await waitFor(() => recorded.events.length === 2, 'two events');
    expect(recorded.events.map((event) => event.data)).toEqual(['PUT a', 'PUT a']);
  });

  it('throws at once for what fetch cannot send', () => {
    expect(() => createSseClient({ url: 'http://127.0.0.1:1/', body: 'x' })).toThrow(
      /a GET request cannot have a body/,
    );
    expect(() => createSseClient({ url: 'http://127.0.0.1:1/', method: 'TRACE' })).toThrow(
      /cannot send a TRACE request/,
    );
    expect(() => createSseClient({ url: 'http://127.0.0.1:1/', method: 'two words' })).toThrow(/is not an HTTP method/);
  });
});
