import type { ServerResponse } from 'node:http';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createProxyController, type ProxyController } from '../../../../core/app/console/proxy-controller.js';
import type { LogEntry } from '../../../../core/app/console/types.js';
import { createProxy } from '../../../../core/app/proxy/create-proxy.js';
import { startProxyServer } from '../../../../core/app/proxy/start-proxy-server.js';
import { startUpstream } from '../proxy/support.js';
import { useCleanup, waitFor } from '../../../support/wait.js';

const cleanup = useCleanup();

async function setUp(): Promise<{
  controller: ProxyController;
  log: LogEntry[];
  streams: ServerResponse[];
  port: number;
}> {
  const streams: ServerResponse[] = [];
  const upstream = await startUpstream((req, res) => {
    if (req.url === '/events') {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
        'X-Accel-Buffering': 'no',
      });
      res.flushHeaders();
      streams.push(res);
      return;
    }
    res.writeHead(req.url === '/app.js' ? 200 : 404, { 'Content-Type': 'text/javascript' });
    res.end('x');
  }, cleanup);
  const view: { controller?: ProxyController } = {};
  const proxy = createProxy({
    upstream: upstream.url,
    report: (report) => view.controller?.observe(report),
    wantsBytes: () => view.controller?.wantsBytes() ?? false,
  });
  const server = await startProxyServer(0, proxy);
  const controller = createProxyController({
    proxy,
    proxyUrl: server.url,
    upstreamUrl: upstream.url.href,
    stopServers: () => server.stop(),
  });
  view.controller = controller;
  const log: LogEntry[] = [];
  controller.onLog((entry) => log.push(entry));
  const running = controller;
  cleanup(() => running.dispose());
  return { controller, log, streams, port: server.port };
}

function get(port: number, path: string, accept = '*/*'): void {
  const req = request({ host: '127.0.0.1', port, path, headers: { Accept: accept } }, (res) => res.resume());
  req.on('error', () => undefined);
  req.end();
  cleanup(() => req.destroy());
}

const texts = (log: readonly LogEntry[]) => log.map((entry) => `${entry.kind} ${entry.text}`);

describe('the proxy controller', () => {
  it('logs streams, events (with their marks), raw bytes and requests, quiet for successful assets', async () => {
    const { controller, log, streams, port } = await setUp();
    get(port, '/app.js');
    get(port, '/missing.js');
    await waitFor(() => log.find((entry) => entry.text.startsWith('GET /missing.js 404')), 'the failed asset line');
    expect(texts(log).some((text) => text.includes('/app.js'))).toBe(false);

    get(port, '/events', 'text/event-stream');
    await waitFor(() => streams[0], 'the upstream stream');
    controller.execute('raw on');
    streams[0]?.write('id: 5\nevent: tick\ndata: one\n\n');
    await waitFor(
      () => log.find((entry) => entry.kind === 'send' && entry.text === '#1 event tick id "5" "one"'),
      'the event line',
    );
    expect(texts(log)).toEqual(
      expect.arrayContaining(['raw #1 id: 5\\n', 'raw #1 event: tick\\n', 'raw #1 data: one\\n', 'raw #1 \\n']),
    );

    controller.execute('send --to 1 "from the console"');
    await waitFor(
      () => log.find((entry) => entry.text === '#1 event "from the console" [injected]'),
      'the injected event line',
    );
    expect(texts(log)).toContain('raw #1 [injected] data: from the console\\n');

    controller.execute('drop 1 1');
    streams[0]?.write('id: 6\ndata: gone\n\n');
    await waitFor(
      () => log.find((entry) => entry.text === '#1 event id "6" "gone" [dropped]'),
      'the dropped event line',
    );

    // The events pane: the app's own id (none for the injected event), the stream each went to.
    const { rows } = controller.snapshot().screen.events;
    expect(rows.map(({ id, event, data, conn }) => ({ id, event, data, conn }))).toEqual([
      { id: '5', event: 'tick', data: 'one', conn: 1 },
      { id: undefined, event: undefined, data: '[injected] from the console', conn: 1 },
    ]);
    expect(controller.snapshot().history).toEqual([]);
    const [connection] = controller.snapshot().connections;
    expect(connection).toMatchObject({ id: 1, eventsSent: 2 });
    expect(connection?.path).toContain('/events');
  });

  it('keeps what the events pane shows of each event, not the whole event: 30 events of 1 MiB hold ~30 × 4 Ki characters', async () => {
    const { controller, streams, port } = await setUp();
    get(port, '/events', 'text/event-stream');
    await waitFor(() => streams[0], 'the upstream stream');
    const big = 'x'.repeat(1024 * 1024);
    for (let n = 0; n < 30; n += 1) streams[0]?.write(`data: ${n} ${big}\n\n`);
    const rows = () => controller.snapshot().screen.events.rows;
    await waitFor(() => rows().length === 30, 'thirty events in the pane', 20_000);
    const held = rows().reduce((sum, row) => sum + row.data.length, 0);
    expect(held).toBeLessThan(30 * 4200);
    expect(rows()[29]?.data).toMatch(/^29 x+… \(\d+ more characters\)$/);
  });

  it('answers every command with one line, and refuses what proxy mode cannot do', async () => {
    const { controller, log } = await setUp();
    const answer = (line: string): string => {
      const before = log.length;
      controller.execute(line);
      return texts(log.slice(before + 1)).join(' | ');
    };
    expect(answer('send --id hi')).toMatch(/^error send --id: in proxy mode ids belong to your app/);
    expect(answer('send --to 9 hi')).toBe('error no proxied stream #9; `conns` lists the live ones');
    expect(answer('send --file body.json')).toBe(
      'error send --file: not in proxy mode; give the data as TEXT (and --to CONN for one stream)',
    );
    expect(answer('send --channel foo hi')).toBe(
      'error send --channel: not in proxy mode; give the data as TEXT (and --to CONN for one stream)',
    );
    expect(answer('close 3')).toBe('error no proxied stream #3; `conns` lists the live ones');
    expect(answer('delay 2s')).toMatch(/^output delaying every upstream event by 2s on all streams \(and new ones\)/);
    expect(answer('delay 0')).toBe('output delay off on all streams (and new ones)');
    expect(answer('pause all')).toMatch(/^output paused all streams/);
    expect(answer('resume all')).toMatch(/^output resumed all streams/);
    expect(answer('respond 503 --once')).toMatch(/^output the next stream request is answered 503 by the proxy/);
    expect(controller.snapshot().respondPolicy).toBe('503 once (by the proxy)');
    expect(answer('respond reset')).toBe('output stream requests are forwarded upstream again');
    expect(answer('every 1s send hi')).toMatch(/^error every is not available in proxy mode/);
    expect(answer('help')).toMatch(
      /^output Proxy mode commands .*output {3}delay DURATION \[CONN\|all\] +hold upstream events back/,
    );
    expect(answer('help')).not.toContain('every DURATION');
    expect(answer('help drop')).toMatch(
      /^output usage: drop N \[CONN\|all\] \| output {2}\| output Drops the next N upstream events/,
    );
    expect(answer('pause --help')).toMatch(/^output usage: pause CONN\|all/);
    expect(answer('help close')).toMatch(/^output usage: close CONN\|all \| output {2}\| output {3}close CONN/);
  });

  it('conns: a proxy-conn record per stream with what buffer holds; while limit is on, a last line with the requests it holds', async () => {
    const { controller, log, streams, port } = await setUp();
    /** The records of one `conns` answer. */
    const conns = () => {
      const before = log.length;
      controller.execute('conns');
      return log.slice(before + 1).flatMap((entry) => (entry.fields === undefined ? [] : [entry.fields]));
    };
    expect(conns()).toEqual([]);
    controller.execute('limit 1');
    controller.execute('buffer 100');
    get(port, '/events', 'text/event-stream');
    await waitFor(() => streams[0], 'the upstream stream');
    get(port, '/events', 'text/event-stream');
    streams[0]?.write('data: held\n\n');
    const answer = await waitFor(() => {
      const records = conns();
      const held = records.some((r) => r.type === 'proxy-conn' && r.heldBytes === 12);
      return held && records.some((r) => r.type === 'proxy-limit' && r.waiting === 1) && records;
    }, 'the held event and the held request');
    expect(answer).toEqual([
      {
        type: 'proxy-conn',
        conn: 1,
        path: '/events',
        events: 0,
        bytes: 0,
        bufferedBytes: 0,
        heldBytes: 12,
        upstreamPaused: false,
        faults: '',
      },
      { type: 'proxy-limit', limit: 1, waiting: 1 },
    ]);
    expect(texts(log).at(-1)).toBe('output limit 1: 1 stream request held with no answer until a stream ends');
    controller.execute('limit off');
    expect(conns().filter((r) => r.type === 'proxy-limit')).toEqual([]);
  });

  it('buffer, idle-cut and limit: one line each, Tab completes them, the status line shows each while on', async () => {
    const { controller, log } = await setUp();
    const answer = (line: string): string => {
      const before = log.length;
      controller.execute(line);
      return texts(log.slice(before + 1)).join(' | ');
    };
    const counts = () => controller.snapshot().screen.counts;
    expect(controller.complete('buf', 3).candidates).toEqual(['buffer']);
    expect(controller.complete('idle', 4).candidates).toEqual(['idle-cut']);
    expect(controller.complete('limit o', 7).candidates).toEqual(['off']);
    expect(controller.complete('buffer ', 7).candidates).toContain('off');
    expect(controller.complete('rechunk c', 9).candidates).toEqual(['crlf']);
    expect(answer('buffer 4096')).toMatch(/^output buffering output to the browser until 4096 bytes gather/);
    expect(answer('idle-cut 5s')).toMatch(/^output cutting any stream quiet for 5s/);
    expect(answer('limit 2')).toMatch(/^output at most 2 stream requests at once/);
    expect(answer('rechunk crlf')).toMatch(/^output splitting the bytes to the browser between every CR and LF/);
    expect(answer('gzip')).toMatch(/^output gzip: streams opened from now on are compressed/);
    expect(counts()).toEqual(
      expect.arrayContaining(['buffer 4096 B', 'idle-cut 5s', 'limit 2', 'gzip', 'rechunk crlf']),
    );
    expect(answer('buffer off')).toMatch(/^output buffer off/);
    expect(answer('idle-cut off')).toBe('output idle-cut off: quiet streams stay open');
    expect(answer('limit off')).toMatch(/^output limit off/);
    expect(answer('gzip off')).toMatch(/^output gzip off/);
    expect(answer('rechunk off')).toMatch(/^output rechunk off/);
    expect(counts().filter((fact) => /^(buffer|idle-cut|limit|gzip|rechunk)\b/.test(fact))).toEqual([]);
    expect(answer('help idle-cut')).toMatch(
      /^output usage: idle-cut DURATION\|off \| output {2}\| output Cuts a stream/,
    );
    expect(answer('limit --help')).toMatch(/^output usage: limit N\|off/);
  });
});
