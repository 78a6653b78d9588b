import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startUpstream } from '../core/app/proxy/support.js';
import { BINARY } from './support/build.js';
import { crashSigns, startConsoleProcess } from '../support/console-process.js';
import { listeningAddresses } from './support/listening-address.js';
import { fetchOnce } from './support/raw-http.js';
import { openStream } from './support/stream-client.js';
import { useCleanup } from '../support/wait.js';

const cleanup = useCleanup();
const run = promisify(execFile);

async function tickingApp() {
  return startUpstream((req, res) => {
    if (req.url?.startsWith('/events') === true) {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
        'X-Accel-Buffering': 'no',
      });
      res.write(`id: 7\ndata: resumed after ${String(req.headers['last-event-id'] ?? 'nothing')}\n\n`);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<title>app</title>');
  }, cleanup);
}

describe('sse-console proxy (the built binary in --json line mode)', () => {
  it('prints {"type":"listening","proxy","upstream"} first, binds loopback, forwards pages and logs streams and events', async () => {
    const app = await tickingApp();
    const proc = await startConsoleProcess([], { cleanup, subcommand: ['proxy', app.url.href] });
    expect(proc.logs[0]).toEqual({ type: 'listening', proxy: proc.sseUrl, upstream: app.url.href });
    expect(listeningAddresses(proc.ssePort)).toEqual(['127.0.0.1']);

    const page = await fetchOnce(`${proc.sseUrl}index.html`);
    expect(page.status).toBe(200);
    expect(page.body).toBe('<title>app</title>');
    await proc.waitForLog(
      (line) => line.type === 'proxy-request' && line.path === '/index.html' && line.status === 200,
      'the page request line',
    );

    const stream = openStream(proc.ssePort, { path: '/events', headers: { 'Last-Event-ID': '6' } });
    cleanup(() => stream.close());
    await proc.waitForLog((line) => line.type === 'proxy-stream-open' && line.lastEventId === '6', 'the stream line');
    const event = await proc.waitForLog((line) => line.type === 'proxy-event', 'the event line');
    expect(event).toMatchObject({ conn: 1, id: '7', data: 'resumed after 6', treatment: 'passed' });

    proc.type('send --event surprise "hi from the console"');
    await proc.waitForLog(
      (line) => line.type === 'proxy-event' && line.treatment === 'injected' && line.event === 'surprise',
      'the injected event line',
    );
    proc.type('close all');
    await proc.waitForLog(
      (line) => line.type === 'proxy-stream-close' && line.reason === 'closed-by-console',
      'the close line',
    );
    proc.type('delay soon');
    await proc.waitForLog(
      (line) => line.kind === 'error' && String(line.text).startsWith('delay: '),
      'the delay error',
    );
    proc.type('history');
    await proc.waitForLog(
      (line) => line.kind === 'error' && String(line.text).includes('not available in proxy mode'),
      'the proxy-mode error',
    );
    expect(crashSigns(proc).filter((sign) => !sign.startsWith('error log'))).toEqual([]);
  });

  it('--host 0.0.0.0 warns what it exposes', async () => {
    const app = await tickingApp();
    const proc = await startConsoleProcess(['--host', '0.0.0.0'], { cleanup, subcommand: ['proxy', app.url.href] });
    const warning = await proc.waitForLog((line) => line.type === 'warn', 'the exposure warning');
    expect(warning.text).toMatch(/^listening on 0\.0\.0\.0: .*no --token/);
  });

  it('explains a missing or bad URL and prints its own --help', async () => {
    const failure = (argv: string[]): Promise<{ code: unknown; stderr: string }> =>
      run(process.execPath, [BINARY, ...argv]).then(
        () => ({ code: 0, stderr: '' }),
        (error: unknown) => {
          const failed = error as { code?: unknown; stderr?: unknown };
          return { code: failed.code, stderr: String(failed.stderr) };
        },
      );
    const missing = await failure(['proxy']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('proxy needs the URL of your app');
    const wrong = await failure(['proxy', 'ftp://x']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('must start with http:// or https://');
    const help = await run(process.execPath, [BINARY, 'proxy', '--help']);
    expect(help.stdout).toContain('sse-console proxy URL [options]');
    expect(help.stdout).toContain('respond STATUS [--once]');
    const main = await run(process.execPath, [BINARY, '--help']);
    expect(main.stdout).toContain('sse-console proxy URL');
  });
});
