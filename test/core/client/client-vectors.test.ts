import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSseClient } from '../../../core/client/create-sse-client.js';
import type { SseCloseInfo } from '../../../core/client/types.js';
import { allStreamVectors, normalizeExpected } from './support/stream-vectors.js';
import type { StreamVector } from './support/stream-vectors.js';
import { startTestServer, waitFor, writeStreamHead } from './support/test-server.js';
import type { TestServer } from './support/test-server.js';

/**
Each vector is served byte for byte over real HTTP, whole and split in two. For a split,
the server writes the first part and waits until the client has received exactly those
bytes before writing the rest, so the two parts reach the parser separately even when
TCP would have coalesced them.
*/

interface Plan {
  readonly bytes: Uint8Array;
  readonly contentType: string;
  readonly split: number | undefined;
  readonly received: () => number;
}

let server: TestServer;
let plan: Plan | undefined;

beforeAll(async () => {
  server = await startTestServer(async (_req, res) => {
    const current = plan;
    if (current === undefined) {
      res.writeHead(500).end();
      return;
    }
    writeStreamHead(res, { 'Content-Type': current.contentType });
    if (current.split === undefined) {
      res.end(current.bytes);
      return;
    }
    const split = current.split;
    res.write(current.bytes.subarray(0, split));
    await waitFor(() => current.received() >= split, `the client to receive ${split} bytes`);
    res.end(current.bytes.subarray(split));
  });
});

afterAll(async () => {
  await server.close();
});

interface HttpResult {
  events: { event: string; data: string; lastEventId: string }[];
  closeInfo: SseCloseInfo;
  retryMs: number;
  bytesReceived: number;
}

async function runOverHttp(vector: StreamVector, split: number | undefined): Promise<HttpResult> {
  let received = 0;
  plan = {
    bytes: new TextEncoder().encode(vector.body),
    contentType: vector.contentType ?? 'text/event-stream',
    split,
    received: () => received,
  };
  const events: HttpResult['events'] = [];
  const client = createSseClient({
    url: `${server.url}/stream`,
    reconnect: false,
    onEvent: ({ event, data, lastEventId }) => events.push({ event, data, lastEventId }),
    onBytes: (bytes) => {
      received += bytes.length;
    },
  });
  const closeInfo = await client.closed;
  return { events, closeInfo, retryMs: client.retryMs, bytesReceived: received };
}

/**
Every split position, except the interior of long runs of `x` (the 2048-character
comments of format-comments), where one position behaves like the next. The direct
decoder test covers those positions too.
*/
function splitPositions(bytes: Uint8Array): number[] {
  const x = 0x78;
  const positions: number[] = [];
  for (let position = 1; position < bytes.length; position += 1) {
    const around = [bytes[position - 2], bytes[position - 1], bytes[position], bytes[position + 1]];
    if (around.some((byte) => byte !== x)) positions.push(position);
  }
  return positions;
}

describe('createSseClient over HTTP on the spec and WPT vectors', () => {
  for (const vector of allStreamVectors) {
    it(`${vector.name}: whole and split at every byte position`, async () => {
      const bytes = new TextEncoder().encode(vector.body);
      const expected = normalizeExpected(vector.expected);
      for (const split of [undefined, ...splitPositions(bytes)]) {
        const context = split === undefined ? 'whole body' : `split at byte ${split}`;
        const result = await runOverHttp(vector, split);
        expect(result.closeInfo.reason, context).toBe('ended');
        expect(result.bytesReceived, context).toBe(bytes.length);
        expect(result.events, context).toEqual(expected);
        expect(result.retryMs, context).toBe(vector.retryMs ?? 3000);
      }
    });
  }
});
