import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../../../cli/doctor.js';
import { diagnose, type DiagnoseRequest } from '../../../../core/app/doctor/diagnose.js';
import type { Finding } from '../../../../core/app/doctor/finding.js';
import { useCleanup } from '../../../support/wait.js';
import {
  startBufferingProxy,
  startCleanStream,
  startGzipStream,
  startIdleCutStream,
  startStreamWithHeaders,
  startStreamWithReplayFault,
  startUnbufferedStream,
} from './fault-servers.js';

const cleanup = useCleanup();

function request(url: string, durationMs: number, extra: Partial<DiagnoseRequest> = {}): DiagnoseRequest {
  return {
    url,
    method: 'GET',
    headers: {},
    body: undefined,
    lastEventId: undefined,
    insecure: false,
    durationMs,
    origin: undefined,
    ...extra,
  };
}

function only(findings: readonly Finding[], code: Finding['code']): Finding[] {
  return findings.filter((finding) => finding.code === code);
}

function problems(findings: readonly Finding[]): string[] {
  return findings.filter((f) => f.level === 'warn' || f.level === 'error').map((f) => `${f.code}: ${f.message}`);
}

/** A writable that keeps what is written, for the CLI's output. */
function collector(): Writable & { text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return Object.assign(stream, { text: () => text });
}

describe('sse-console doctor against real servers with real faults', () => {
  it('finds nothing wrong with a well-behaved stream: events on time, heartbeat, replay after Last-Event-ID', async () => {
    const server = await startCleanStream(cleanup);
    const { findings, resume } = await diagnose(request(server.url, 1500));
    expect(problems(findings)).toEqual([]);
    expect(only(findings, 'buffered')[0]).toMatchObject({ level: 'ok', evidence: { method: 'server-timestamps' } });
    expect(only(findings, 'heartbeat')[0]?.level).toBe('ok');
    const reconnect = only(findings, 'reconnect')[0];
    expect(reconnect?.level).toBe('ok');
    expect(reconnect?.message).toMatch(/is replayed the 1 event after it/);
    expect(resume?.lastEventId).toBeDefined();
  });

  it('names a buffering reverse proxy: events held back, with nginx and X-Accel-Buffering as the cause', async () => {
    // An application that does not send X-Accel-Buffering: no (the library does).
    const upstream = await startStreamWithHeaders(cleanup, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
    });
    const proxy = await startBufferingProxy(cleanup, upstream.url, 300);
    const { findings } = await diagnose(request(proxy.url, 3000));
    const buffered = only(findings, 'buffered')[0];
    expect(buffered?.level).toBe('warn');
    expect(buffered?.message).toMatch(/events are held back/);
    expect(buffered?.advice).toMatch(/X-Accel-Buffering: no/);
    expect(buffered?.evidence.heldMaxMs).toBeGreaterThan(250);
  });

  it('finds no bursts through the same proxy when the application sends X-Accel-Buffering: no (as the library does)', async () => {
    for (const upstream of [await startUnbufferedStream(cleanup), await startCleanStream(cleanup)]) {
      const proxy = await startBufferingProxy(cleanup, upstream.url, 300);
      const { findings } = await diagnose(request(proxy.url, 1500));
      expect(only(findings, 'buffered')[0]?.level).toBe('ok');
    }
  });

  it('finds bursts without server timestamps too, from how arrivals group', async () => {
    const headers = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
    const upstream = await startStreamWithHeaders(cleanup, headers, () => 'tick');
    const proxy = await startBufferingProxy(cleanup, upstream.url, 120);
    const { findings } = await diagnose(request(proxy.url, 3000));
    expect(only(findings, 'buffered')[0]).toMatchObject({ level: 'warn', evidence: { method: 'arrival-times' } });
    expect(only(findings, 'buffered')[0]?.message).toMatch(/^events arrive in bursts: \d+ events came in \d+ bursts/);
    // The same stream without the proxy: one event per arrival.
    const direct = await diagnose(request(upstream.url, 1000));
    expect(only(direct.findings, 'buffered')[0]).toMatchObject({ level: 'ok', evidence: { method: 'arrival-times' } });
  });

  it('names compression that holds events (gzip without flush), and passes gzip that flushes each event', async () => {
    const holding = await startGzipStream(cleanup, false, 25, 60);
    const held = await diagnose(request(holding.url, 4000));
    expect(only(held.findings, 'compressed')[0]?.level).toBe('warn');
    const buffered = only(held.findings, 'buffered')[0];
    expect(buffered?.level).toBe('warn');
    expect(buffered?.advice).toMatch(/compression \(Content-Encoding: gzip\)/);

    const flushing = await startGzipStream(cleanup, true, 25, 60);
    const fine = await diagnose(request(flushing.url, 4000));
    expect(only(fine.findings, 'compressed')[0]?.level).toBe('info');
    expect(only(fine.findings, 'compressed')[0]?.message).toMatch(/still arrive one by one/);
    expect(only(fine.findings, 'buffered')[0]?.level).toBe('ok');
  });

  it('finds an idle cut: the stream ended after a quiet spell with no heartbeat, and says which interval keeps it open', async () => {
    const server = await startIdleCutStream(cleanup, 2200);
    const { findings, observation } = await diagnose(request(server.url, 6000));
    expect(observation.end).not.toBe('watch-over');
    const cut = only(findings, 'idle-cut')[0];
    expect(cut?.level).toBe('warn');
    expect(cut?.evidence.quietMs).toBeGreaterThanOrEqual(2000);
    expect(cut?.advice).toMatch(/at least every 1 s/);
    // A well-behaved stream is not cut within the same watch.
    const clean = await startCleanStream(cleanup);
    expect(only((await diagnose(request(clean.url, 1000))).findings, 'idle-cut')).toEqual([]);
  });

  it('flags headers browsers and proxies mishandle: a charset Chromium refuses, no Cache-Control, CORS for --origin', async () => {
    const latin = await startStreamWithHeaders(cleanup, { 'content-type': 'text/event-stream; charset=iso-8859-1' });
    const result = await diagnose(request(latin.url, 500, { origin: 'https://app.example' }));
    const headers = only(result.findings, 'headers').filter((f) => f.level !== 'info' && f.level !== 'ok');
    expect(headers.map((f) => f.message)).toEqual([
      expect.stringMatching(/no Cache-Control header/),
      expect.stringMatching(/charset=iso-8859-1 is not UTF-8: Chromium browsers fail the connection/),
      expect.stringMatching(
        /a page on https:\/\/app\.example cannot read this stream: the response has no Access-Control-Allow-Origin/,
      ),
    ]);
    const plain = await startStreamWithHeaders(cleanup, { 'content-type': 'text/plain' });
    expect(problems((await diagnose(request(plain.url, 500))).findings)).toEqual([
      expect.stringMatching(/^headers: Content-Type is text\/plain: EventSource needs text\/event-stream/),
    ]);
    const clean = await startCleanStream(cleanup);
    const allowed = await diagnose(request(clean.url, 500, { origin: 'https://app.example' }));
    expect(problems(allowed.findings).filter((p) => p.startsWith('headers'))).toEqual([
      expect.stringMatching(/no Access-Control-Allow-Origin/),
    ]);
  });

  it("reads Content-Type as a browser does (fetch's MIME type extraction, the client's rule): the last valid value wins", async () => {
    // Two values joined by fetch's ", ": a browser reads the last, text/event-stream.
    const joined = await startStreamWithHeaders(cleanup, {
      'content-type': 'text/plain, text/event-stream',
      'cache-control': 'no-cache',
    });
    expect(problems((await diagnose(request(joined.url, 500))).findings)).toEqual([]);
    const reversed = await startStreamWithHeaders(cleanup, { 'content-type': 'text/event-stream, text/plain' });
    expect(problems((await diagnose(request(reversed.url, 500))).findings)).toEqual([
      expect.stringMatching(/^headers: Content-Type is text\/event-stream, text\/plain: EventSource needs/),
    ]);
  });

  it('says what a reconnecting client is sent: nothing (no replay) or duplicates (replay from the start)', async () => {
    const ignoring = await startStreamWithReplayFault(cleanup, 'ignore');
    const lost = only((await diagnose(request(ignoring.url, 800))).findings, 'reconnect')[0];
    expect(lost?.level).toBe('warn');
    expect(lost?.message).toMatch(
      /^no replay: a client that reconnects with Last-Event-ID: \d+ does not get the 1 event/,
    );

    const restarting = await startStreamWithReplayFault(cleanup, 'restart');
    const doubled = only((await diagnose(request(restarting.url, 800))).findings, 'reconnect')[0];
    expect(doubled?.level).toBe('warn');
    expect(doubled?.message).toMatch(/is sent events it already had \(ids 1, 2/);
  });

  it('reports a POST stream and what retrying it costs', async () => {
    const server = await startStreamWithHeaders(cleanup, { 'content-type': 'text/event-stream' });
    const { findings } = await diagnose(request(server.url, 500, { method: 'POST', body: '{"q":1}' }));
    expect(only(findings, 'post')[0]?.message).toMatch(/a fetch-based client that retries it sends the request again/);
    expect(only(findings, 'reconnect')).toEqual([]); // doctor never re-sends a POST
  });
});

describe('sse-console doctor: the command', () => {
  it('exits 0 on a clean stream and 1 on a faulty one, with --json lines that carry code, level and evidence', async () => {
    const clean = await startCleanStream(cleanup);
    const out = collector();
    expect(await runDoctor([clean.url, '--duration', '1s'], { stdout: out, stderr: collector() })).toBe(0);
    expect(out.text()).toMatch(/No problems found\.\n$/);

    const cut = await startIdleCutStream(cleanup, 1200);
    const json = collector();
    expect(await runDoctor([cut.url, '--duration', '5s', '--json'], { stdout: json, stderr: collector() })).toBe(1);
    const lines = json
      .text()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Finding);
    expect(lines.find((f) => f.code === 'idle-cut')).toMatchObject({ level: 'warn', evidence: { heartbeats: 0 } });
  });

  it('exits 2 with an error that names the valid form, and 130 when interrupted (reporting what it saw)', async () => {
    const err = collector();
    expect(await runDoctor(['--duration', 'soon', 'http://127.0.0.1:1/'], { stdout: collector(), stderr: err })).toBe(
      2,
    );
    expect(err.text()).toMatch(/--duration expects a duration with a unit up to 1h, e.g. 10s/);
    const badOrigin = collector();
    expect(
      await runDoctor(['http://127.0.0.1:1/', '--origin', 'https://a.example/page'], {
        stdout: collector(),
        stderr: badOrigin,
      }),
    ).toBe(2);
    expect(badOrigin.text()).toMatch(/--origin expects a page origin/);

    const server = await startCleanStream(cleanup);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 600);
    const out = collector();
    const code = await runDoctor([server.url, '--duration', '60s'], {
      stdout: out,
      stderr: collector(),
      signal: stop.signal,
    });
    expect(code).toBe(130);
    expect(out.text()).toMatch(/✓ buffered +events arrive as they are sent/);
  });
});
