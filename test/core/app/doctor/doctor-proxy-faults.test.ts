import { describe, expect, it } from 'vitest';
import { diagnose, type DiagnoseRequest } from '../../../../core/app/doctor/diagnose.js';
import type { Finding } from '../../../../core/app/doctor/finding.js';
import type { ProxyShaping } from '../../../../core/app/proxy/shaping.js';
import { useCleanup } from '../../../support/wait.js';
import { startTestProxy } from '../proxy/support.js';
import { startIdleCutStream, startShortStream, startStreamWithHeaders } from './fault-servers.js';

// What a teacher shows: the proxy's fault on, doctor names it; the fault off, doctor does not.

const cleanup = useCleanup();

function request(url: string, durationMs: number): DiagnoseRequest {
  return {
    url,
    method: 'GET',
    headers: {},
    body: undefined,
    lastEventId: undefined,
    insecure: false,
    durationMs,
    origin: undefined,
  };
}

/** The proxy in front of `upstreamUrl` (a stream at /events) with `shaping` on; the stream's URL through it. */
async function throughProxy(upstreamUrl: string, shaping: Partial<ProxyShaping>): Promise<string> {
  const { proxy, port } = await startTestProxy(new URL('/', upstreamUrl), cleanup);
  proxy.setShaping(shaping);
  return `http://127.0.0.1:${port}/events`;
}

const findingsOf = async (url: string, durationMs: number, code: Finding['code']): Promise<Finding[]> =>
  (await diagnose(request(url, durationMs))).findings.filter((finding) => finding.code === code);

/** A well-behaved app: an event every 100 ms with its send time, and X-Accel-Buffering: no. */
const timedStream = () =>
  startStreamWithHeaders(cleanup, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });

describe('doctor names the proxy faults it is shown', () => {
  it('buffer: events held back (buffered, warn); without it they arrive as sent', async () => {
    const upstream = await timedStream();
    const buffered = await findingsOf(await throughProxy(upstream.url, { bufferBytes: 200 }), 3000, 'buffered');
    expect(buffered[0]).toMatchObject({ level: 'warn' });
    expect(buffered[0]?.message).toMatch(/events are held back/);
    const clean = await findingsOf(await throughProxy(upstream.url, {}), 2000, 'buffered');
    expect(clean[0]?.level).toBe('ok');
  });

  it('idle-cut: the stream cut after a quiet spell (idle-cut, warn); without it no cut is found', async () => {
    // The app sends two events, then nothing (its own cut is far beyond the test).
    const upstream = await startIdleCutStream(cleanup, 60_000);
    const cut = await findingsOf(await throughProxy(upstream.url, { idleCutMs: 1200 }), 3000, 'idle-cut');
    expect(cut[0]).toMatchObject({ level: 'warn' });
    expect(cut[0]?.message).toMatch(/without a byte/);
    expect(await findingsOf(await throughProxy(upstream.url, {}), 2000, 'idle-cut')).toEqual([]);
  });

  it('gzip: a compressed stream whose events wait in the compressor (compressed, warn); without it no compression', async () => {
    const upstream = await startShortStream(cleanup);
    const compressed = await findingsOf(await throughProxy(upstream.url, { gzip: true }), 2500, 'compressed');
    expect(compressed[0]).toMatchObject({ level: 'warn', evidence: { contentEncoding: 'gzip' } });
    expect(await findingsOf(await throughProxy(upstream.url, {}), 2500, 'compressed')).toEqual([]);
  });
});
