import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localCa, startHttpsUpstream } from '../core/app/proxy/https-upstream.js';
import { crashSigns, startConsoleProcess } from '../support/console-process.js';
import { useCleanup } from '../support/wait.js';
import { fetchOnce } from './support/raw-http.js';
import { openStream } from './support/stream-client.js';

/*
`sse-console proxy https://…` in front of an app whose certificate a local CA signed
(what mkcert makes): the built binary, as a developer starts it. Node trusts that CA
only when told at start-up, and the proxy says how.
*/

const cleanup = useCleanup();

async function httpsApp() {
  const ca = await localCa();
  const streams: ServerResponse[] = [];
  const app = await startHttpsUpstream(
    ca.server,
    (req, res) => {
      if (req.url?.startsWith('/events') !== true) {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<title>app</title>');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      res.write(`id: 1\ndata: over TLS after ${String(req.headers['last-event-id'] ?? 'nothing')}\n\n`);
      streams.push(res);
    },
    cleanup,
  );
  const dir = mkdtempSync(join(tmpdir(), 'sse-console-ca-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  const caFile = join(dir, 'rootCA.pem');
  writeFileSync(caFile, ca.caCert);
  return { url: app.url, streams, caFile };
}

describe('sse-console proxy https://… (the built binary)', () => {
  it('an untrusted certificate: the browser gets a 502 and the log a line that say to set NODE_EXTRA_CA_CERTS', async () => {
    const app = await httpsApp();
    const proc = await startConsoleProcess([], { cleanup, subcommand: ['proxy', app.url.href] });
    const answer = await fetchOnce(`${proc.sseUrl}events`, { headers: { Accept: 'text/event-stream' } });
    expect(answer.status).toBe(502);
    expect(answer.headers['content-type']).toMatch(/^text\/plain/);
    expect(answer.body).toContain(
      'TLS certificate is not signed by a CA Node.js trusts (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
    );
    expect(answer.body).toContain('restart sse-console with NODE_EXTRA_CA_CERTS=path/to/ca.pem');
    const line = await proc.waitForLog(
      (record) => record.type === 'proxy-request' && record.status === 502,
      'the 502 request line',
    );
    expect(`sse-console proxy: ${String(line.problem)}`).toBe(answer.body.trimEnd());
    expect(line.kind).toBe('warn');
    expect(line.text).toContain('NODE_EXTRA_CA_CERTS=');
  });

  it('with NODE_EXTRA_CA_CERTS naming the CA the stream works: events, send and close with Last-Event-ID', async () => {
    const app = await httpsApp();
    const proc = await startConsoleProcess([], {
      cleanup,
      subcommand: ['proxy', app.url.href],
      env: { NODE_EXTRA_CA_CERTS: app.caFile },
    });
    const page = await fetchOnce(`${proc.sseUrl}index.html`);
    expect(page.status).toBe(200);
    expect(page.body).toBe('<title>app</title>');

    const stream = openStream(proc.ssePort, { path: '/events', headers: { 'Last-Event-ID': '0' } });
    cleanup(() => stream.close());
    await stream.until((client) => client.events.length === 1, 'the first event through the proxy');
    expect(stream.status).toBe(200);
    expect(stream.events[0]).toMatchObject({ id: '1', data: 'over TLS after 0' });
    const opened = await proc.waitForLog((line) => line.type === 'proxy-stream-open', 'the stream line');
    expect(opened).toMatchObject({ upstreamUrl: `${app.url.href}events`, lastEventId: '0' });

    app.streams[0]?.write('id: 2\ndata: second\n\n');
    await stream.until((client) => client.events.length === 2, 'the second event');
    proc.type('send --event surprise "from the console"');
    await stream.until((client) => client.events.length === 3, 'the injected event');
    expect(stream.events.map((event) => `${event.event ?? 'message'}:${event.data}`)).toEqual([
      'message:over TLS after 0',
      'message:second',
      'surprise:from the console',
    ]);
    proc.type('close all');
    await proc.waitForLog(
      (line) => line.type === 'proxy-stream-close' && line.reason === 'closed-by-console',
      'the close line',
    );
    await stream.until((client) => client.ended, 'the end of the stream at the browser');
    // The browser's reconnection, with the last id it holds.
    const again = openStream(proc.ssePort, { path: '/events', headers: { 'Last-Event-ID': '2' } });
    cleanup(() => again.close());
    await again.until((client) => client.events.length === 1, 'the event after the reconnection');
    expect(again.events[0]?.data).toBe('over TLS after 2');
    expect(crashSigns(proc)).toEqual([]);
  });
});
