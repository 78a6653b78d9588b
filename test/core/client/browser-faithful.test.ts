import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SseClient } from '../../../core/client/types.js';
import { eventsOf, recordClient } from './support/record-client.js';
import { lastEventIdOf, startTestServer, waitFor, writeStreamHead } from './support/test-server.js';
import type { TestHandler, TestServer } from './support/test-server.js';

/*
Where Chromium's EventSource and a naive fetch client part ways (issue 14 and the client
bullets of issue 12), over real HTTP on a real port.
*/

const servers: TestServer[] = [];
const clients: SseClient[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: TestHandler): Promise<TestServer> {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
}

const connect = (options: Parameters<typeof recordClient>[0]) => recordClient(options, clients);

/**
undici's own clock for its timeouts (a coarse clock it advances every ~500 ms); its
`tick(ms)` moves it forward, exported for tests, so 300 s pass without waiting.
*/
const undiciTimers = createRequire(import.meta.url)('undici/lib/util/timers.js') as { tick(delayMs: number): void };

/**
A client whose reconnection waits run on a fake clock, and a count of its requests:
`fetch` is called at once when a reconnection starts, so the count says, without
waiting real time, whether moving the clock on started one.
*/
function connectOnFakeClock(options: Parameters<typeof recordClient>[0]) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  let requests = 0;
  const recorded = connect({
    ...options,
    fetch: (input, init) => {
      requests += 1;
      return fetch(input, init);
    },
  });
  return { recorded, requests: () => requests };
}

/** Waits on real I/O without moving the fake clock (vi.waitFor would move it on each poll). */
async function settle(test: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!test()) {
    if (performance.now() > deadline) throw new Error(`timed out after 10 s waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('ids in blocks that dispatch nothing', () => {
  it('an id-only block sets the last event ID, and the reconnect sends it', async () => {
    const server = await serve((req, res) => {
      writeStreamHead(res);
      if (server.requests.length === 1) res.end('retry: 0\ndata: a\n\nid: 5\n\n');
      else res.write(`data: resumed ${lastEventIdOf(req) ?? 'none'}\n\n`);
    });
    const recorded = connect({ url: server.url });
    await waitFor(() => recorded.events.length === 2, 'the event after reconnecting');
    expect(eventsOf(recorded)).toEqual([
      { event: 'message', data: 'a', lastEventId: '' },
      { event: 'message', data: 'resumed 5', lastEventId: '5' },
    ]);
    expect(recorded.reconnects[0]?.lastEventId).toBe('5');
  });

  it('an id in a block with only event: sets it too', async () => {
    const server = await serve((req, res) => {
      writeStreamHead(res);
      if (server.requests.length === 1) res.end('retry: 0\nevent: ping\nid: 9\n\n');
      else res.write(`data: ${lastEventIdOf(req) ?? 'none'}\n\n`);
    });
    const recorded = connect({ url: server.url });
    await waitFor(() => recorded.events.length === 1, 'the event after reconnecting');
    expect(eventsOf(recorded)).toEqual([{ event: 'message', data: '9', lastEventId: '9' }]);
  });

  it('an empty id: in a block of its own clears it, and the reconnect omits Last-Event-ID', async () => {
    const server = await serve((req, res) => {
      writeStreamHead(res);
      if (server.requests.length === 1) res.end('retry: 0\nid: 5\ndata: a\n\nid\n\n');
      else res.write(`data: ${lastEventIdOf(req) ?? 'none'}\n\n`);
    });
    const recorded = connect({ url: server.url });
    await waitFor(() => recorded.events.length === 2, 'the event after reconnecting');
    expect(eventsOf(recorded)).toEqual([
      { event: 'message', data: 'a', lastEventId: '5' },
      { event: 'message', data: 'none', lastEventId: '' },
    ]);
    expect(server.requests[1]?.headers['last-event-id']).toBeUndefined();
  });
});

describe('reconnection times a timer cannot hold', () => {
  for (const [name, retry] of [
    ['2^31', '2147483648'],
    ['2^53', '9007199254740992'],
    ['2^64 - 2^11 (still a 64-bit number)', '18446744073709549568'],
  ] as const) {
    it(`retry: ${name} waits that long instead of reconnecting after 1 ms`, async () => {
      const server = await serve((_req, res) => {
        writeStreamHead(res);
        res.end(`retry: ${retry}\ndata: x\n\n`);
      });
      const { recorded, requests } = connectOnFakeClock({ url: server.url });
      await settle(() => recorded.reconnects.length === 1, 'the reconnect to be scheduled');
      expect(recorded.reconnects[0]?.delayMs).toBe(Number(retry));
      // A timer given more than 2^31 − 1 ms fires after 1 ms (the fake clock does the same).
      vi.advanceTimersByTime(60_000);
      expect(requests()).toBe(1);
      expect(server.requests).toHaveLength(1);
      expect(recorded.client.state).toBe('connecting');
    });
  }

  it('retry: 2^64 and beyond is ignored, as Chromium cannot read it (the previous time stays)', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.end('retry: 60000\nretry: 18446744073709551616\nretry: 99999999999999999999999\ndata: x\n\n');
    });
    const recorded = connect({ url: server.url });
    await waitFor(() => recorded.reconnects.length === 1, 'the reconnect to be scheduled');
    expect(recorded.retries).toEqual([60000]);
    expect(recorded.ignored.map((line) => line.reason)).toEqual(['invalid-retry', 'invalid-retry']);
    expect(recorded.ignored[0]?.message).toContain('2^64');
    expect(recorded.reconnects[0]).toMatchObject({ delayMs: 60000, retryMs: 60000 });
  });

  it('an empty retry: sets the reconnection time back to the initial one, as Chromium does', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.end('retry: 200\nretry:\ndata: x\n\n');
    });
    const recorded = connect({ url: server.url, retryMs: 60000 });
    await waitFor(() => recorded.reconnects.length === 1, 'the reconnect to be scheduled');
    expect(recorded.retries).toEqual([200, 60000]);
    expect(recorded.reconnects[0]).toMatchObject({ retryMs: 60000, delayMs: 60000 });
    expect(recorded.ignored).toEqual([]);
  });

  it('retry: 0 still waits the floor before reconnecting', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.end('retry: 0\ndata: x\n\n');
    });
    const { recorded, requests } = connectOnFakeClock({ url: server.url, minReconnectDelayMs: 1000 });
    await settle(() => recorded.reconnects.length === 1, 'the reconnect to be scheduled');
    expect(recorded.reconnects[0]).toMatchObject({ retryMs: 0, delayMs: 1000 });
    vi.advanceTimersByTime(990);
    expect(requests()).toBe(1);
    // The floor, and not more: the reconnection starts once it has passed.
    vi.advanceTimersByTime(10);
    expect(requests()).toBe(2);
  });

  it('the default floor is 100 ms', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.end('retry: 0\ndata: x\n\n');
    });
    const recorded = connect({ url: server.url });
    await waitFor(() => recorded.reconnects.length === 1, 'the reconnect to be scheduled');
    expect(recorded.reconnects[0]).toMatchObject({ retryMs: 0, delayMs: 100 });
  });
});

describe('a Last-Event-ID the HTTP client refuses to send', () => {
  it('with retry: 0 fails once for good instead of looping, saying what Chromium does instead', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.end('retry: 0\nid: a\u001bb\ndata: x\n\n');
    });
    const recorded = connect({ url: server.url });
    const info = await recorded.client.closed;
    expect(info.reason).toBe('failed');
    expect(recorded.errors).toMatchObject([{ kind: 'request-refused', fatal: true }]);
    expect(info.message).toContain('Last-Event-ID "a\\u001bb" holds a control character');
    expect(info.message).toContain('Chromium sends those bytes');
    expect(server.requests).toHaveLength(1);
  });
});

describe('a line that never ends', () => {
  it('is cut at maxBufferSize: the overflow is reported, the connection dropped, and the client reconnects', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      if (server.requests.length === 1) {
        res.write('retry: 0\ndata: ');
        const chunk = 'x'.repeat(64 * 1024);
        // Bounded: 32 chunks (2 MiB), twice the limit below.
        for (let index = 0; index < 32; index += 1) res.write(chunk);
      } else {
        res.write('data: fresh\n\n');
      }
    });
    const recorded = connect({ url: server.url, maxBufferSize: 1024 * 1024 });
    await waitFor(() => recorded.events.length === 1, 'the event after reconnecting');
    expect(recorded.errors).toMatchObject([{ kind: 'buffer-overflow', fatal: false }]);
    expect(recorded.errors[0]?.message).toContain('1048576 characters');
    expect(eventsOf(recorded)).toEqual([{ event: 'message', data: 'fresh', lastEventId: '' }]);
    expect(server.requests).toHaveLength(2);
  });

  it('without reconnecting, the overflow fails the client', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.write(`data: ${'y'.repeat(4096)}`);
    });
    const recorded = connect({ url: server.url, maxBufferSize: 1000, reconnect: false });
    const info = await recorded.client.closed;
    expect(info.reason).toBe('failed');
    expect(recorded.errors).toMatchObject([{ kind: 'buffer-overflow', fatal: true }]);
  });
});

describe('redirects', () => {
  it('reconnects to the redirected URL, where a browser goes', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/old') {
        res.writeHead(307, { Location: '/events?moved=1' }).end();
        return;
      }
      writeStreamHead(res);
      res.end('retry: 0\nid: 1\ndata: x\n\n');
    });
    const recorded = connect({ url: `${server.url}/old` });
    await waitFor(() => server.requests.length === 3, 'two reconnects');
    expect(server.requests.map((req) => req.url)).toEqual(['/old', '/events?moved=1', '/events?moved=1']);
    expect(recorded.reconnects[0]?.url).toBe(`${server.url}/events?moved=1`);
    expect(lastEventIdOf(server.requests[2]!)).toBe('1');
  });
});

describe('several Content-Type headers', () => {
  for (const [values, opens] of [
    [['text/html', 'text/event-stream'], true],
    [['text/event-stream', 'not a type'], true],
    [['text/event-stream', '*/*'], true],
    [['text/event-stream', 'text/html'], false],
  ] as const) {
    it(`${JSON.stringify(values)} ${opens ? 'opens' : 'fails'}: the last valid one wins, as fetch extracts it`, async () => {
      const server = await serve((_req, res) => {
        res.setHeader('Content-Type', [...values]);
        res.writeHead(200, { 'Cache-Control': 'no-cache' });
        res.write('data: x\n\n');
      });
      const recorded = connect({ url: server.url, reconnect: false });
      if (opens) {
        await waitFor(() => recorded.events.length === 1, 'the event');
      } else {
        const info = await recorded.client.closed;
        expect(info.reason).toBe('failed');
        expect(recorded.errors).toMatchObject([{ kind: 'bad-content-type' }]);
      }
    });
  }
});

describe('a body that fails to decode', () => {
  it('Content-Encoding: gzip over plain bytes is an error with a reason, then a reconnect', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Content-Encoding': 'gzip' });
      res.end('retry: 0\ndata: not gzip\n\n');
    });
    // The body never decodes, so its retry: is never read: shorten the default instead.
    const recorded = connect({ url: server.url, retryMs: 100 });
    await waitFor(() => server.requests.length === 2, 'the reconnect');
    expect(recorded.errors[0]).toMatchObject({ kind: 'network', fatal: false, systemCode: 'Z_DATA_ERROR' });
    expect(recorded.errors[0]?.message).toContain('could not be decoded');
    expect(recorded.events).toEqual([]);
  });
});

describe('charset', () => {
  it('a charset other than UTF-8 is decoded as UTF-8 with a warning that Chromium fails it', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res, { 'Content-Type': 'text/event-stream; charset=windows-1252' });
      res.write('data: ok\u2026\n\n');
    });
    const recorded = connect({ url: server.url });
    await waitFor(() => recorded.events.length === 1, 'the event');
    expect(recorded.events[0]?.data).toBe('ok\u2026');
    const warning = recorded.connects[0]?.warnings.find((each) => each.code === 'charset');
    expect(warning?.level).toBe('warning');
    expect(warning?.message).toContain('Chromium browsers fail the connection');
  });

  for (const charset of ['windows-1252', 'utf8']) {
    it(`strictCharset fails charset=${charset} for good, as Chromium does`, async () => {
      const server = await serve((_req, res) => {
        writeStreamHead(res, { 'Content-Type': `text/event-stream;charset=${charset}` });
        res.write('data: x\n\n');
      });
      const recorded = connect({ url: server.url, strictCharset: true });
      const info = await recorded.client.closed;
      expect(info.reason).toBe('failed');
      expect(recorded.errors).toMatchObject([{ kind: 'bad-charset', fatal: true }]);
      expect(recorded.events).toEqual([]);
      expect(server.requests).toHaveLength(1);
    });
  }

  it('strictCharset accepts charset=UTF-8 in any case', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res, { 'Content-Type': 'text/event-stream; charset=Utf-8' });
      res.write('data: x\n\n');
    });
    const recorded = connect({ url: server.url, strictCharset: true });
    await waitFor(() => recorded.events.length === 1, 'the event');
  });
});

describe('idle streams', () => {
  it('the idle timeout path cuts a silent body when configured (Node fetch does this at 300 s)', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.write('retry: 0\ndata: before\n\n');
      if (server.requests.length === 1) {
        // Silent from here on: a body timeout of 200 ms cuts it.
      }
    });
    const recorded = connect({ url: server.url, idleTimeoutMs: 200 });
    await waitFor(() => server.requests.length === 2, 'the reconnect after the cut');
    expect(recorded.errors[0]).toMatchObject({ kind: 'network', systemCode: 'UND_ERR_BODY_TIMEOUT' });
  });

  it("Node's fetch setting (bodyTimeout 300 s) cuts the body after 301 s of silence, the default keeps it (undici's clock moved forward)", async () => {
    const silentServer = async () => {
      let resume: () => void = () => {};
      const resumed = new Promise<void>((resolve) => (resume = resolve));
      const server = await serve(async (_req, res) => {
        writeStreamHead(res);
        res.write('retry: 60000\ndata: before\n\n');
        await resumed;
        if (!res.destroyed) res.write('data: after\n\n');
      });
      return { server, resume };
    };
    const withNodeSetting = await silentServer();
    const byDefault = await silentServer();
    const cut = connect({ url: withNodeSetting.server.url, idleTimeoutMs: 300_000 });
    const kept = connect({ url: byDefault.server.url });
    await waitFor(() => cut.events.length === 1 && kept.events.length === 1, 'the first event on both');
    // A new timer starts counting at the clock's next tick; tick(0) makes that now.
    undiciTimers.tick(0);
    undiciTimers.tick(301_000);
    // The cut is the sign that undici's timer wheel has turned and fired what was due.
    await waitFor(() => cut.errors.length === 1, 'the body timeout');
    expect(cut.errors[0]).toMatchObject({ kind: 'network', systemCode: 'UND_ERR_BODY_TIMEOUT' });
    expect(kept.errors).toEqual([]);
    byDefault.resume();
    await waitFor(() => kept.events.length === 2, 'the event after the silence');
    expect(kept.errors).toEqual([]);
    expect(byDefault.server.requests).toHaveLength(1);
    withNodeSetting.resume();
  });

  it("by default a silent stream is kept: ten minutes of silence on both clocks (timers and undici's), and the event after it comes on the same connection", async () => {
    const silentServer = async () => {
      let resume: () => void = () => {};
      const resumed = new Promise<void>((resolve) => (resume = resolve));
      const server = await serve(async (_req, res) => {
        writeStreamHead(res);
        res.write('retry: 60000\ndata: before\n\n');
        await resumed;
        if (!res.destroyed) res.write('data: after\n\n');
      });
      return { server, resume };
    };
    const witness = await silentServer();
    const byDefault = await silentServer();
    // undici keeps a timeout of up to 1 s on the global timers, a longer one on its own clock.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const cut = connect({ url: witness.server.url, idleTimeoutMs: 600_000 });
    const kept = connect({ url: byDefault.server.url });
    await settle(() => cut.events.length === 1 && kept.events.length === 1, 'the first event on both');
    undiciTimers.tick(0);
    vi.advanceTimersByTime(601_000);
    undiciTimers.tick(601_000);
    // The witness's cut says the silence was long enough on undici's clock; every timer due
    // on the global clock has already run inside advanceTimersByTime.
    await settle(() => cut.errors.length === 1, "the witness's body timeout");
    expect(kept.errors).toEqual([]);
    byDefault.resume();
    await settle(() => kept.events.length === 2, 'the event after the silence');
    expect(kept.errors).toEqual([]);
    expect(byDefault.server.requests).toHaveLength(1);
    witness.resume();
  });
});

describe('a request header the HTTP client refuses', () => {
  it('fails once, naming the request rather than the Last-Event-ID', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.end('data: x\n\n');
    });
    const recorded = connect({ url: server.url, headers: { 'X-Bad': 'a\u0001b' }, lastEventId: '7' });
    const info = await recorded.client.closed;
    expect(recorded.errors).toMatchObject([{ kind: 'request-refused', fatal: true }]);
    expect(info.message).toMatch(/^the HTTP client refused to send the request: invalid x-bad header/);
    expect(server.requests).toHaveLength(0);
  });
});
