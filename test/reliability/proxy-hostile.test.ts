/**
`sse-console proxy` (the built binary) in front of a hostile app written here on
raw sockets: a reason phrase node:http will not write, events larger than the
decoder's bound, an event of controls for --json, a reader that stops reading or
goes away. The proxy answers, reports, keeps the bytes flowing and keeps running.
*/
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BINARY } from './support/build.js';
import { crashSigns, startConsoleProcess } from '../support/console-process.js';
import { startHostileServer, writeMany, type HostileServer } from './support/hostile-server.js';
import { openStream } from './support/stream-client.js';
import { useCleanup, waitFor, type Cleanup } from '../support/wait.js';

const cleanup = useCleanup();

const MiB = 1024 * 1024;

function appOrigin(server: HostileServer): string {
  return `http://127.0.0.1:${server.port}`;
}

/** The proxy in human line mode with stdout and stdin as pipes; resolves once it printed its port. */
async function startHumanProxy(upstream: string, cleanupTask: Cleanup) {
  const child = spawn(process.execPath, [BINARY, 'proxy', upstream, '--no-tui', '--sse-port', '0'], {
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout = (stdout + text).slice(-1024 * 1024);
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdin.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  cleanupTask(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  await waitFor(() => /proxy on http:\/\/127\.0\.0\.1:\d+\//.test(stdout), 'the proxy line', 20_000);
  const port = Number(/proxy on http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout)?.[1]);
  return { child, port, exited, stdout: () => stdout, stderr: () => stderr };
}

/** An app that streams a small event every millisecond or so until the proxy goes. */
function startTicker(cleanupTask: Cleanup, data = 'tick'): Promise<HostileServer> {
  return startHostileServer(
    () => ({
      body: async (socket) => {
        for (let n = 0; !socket.destroyed; n += 1) {
          if (!socket.write(`id: ${n}\ndata: ${data} ${n}\n\n`)) {
            await new Promise((resolve) => socket.once('drain', resolve));
          }
          if (n % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
        }
      },
    }),
    cleanupTask,
  );
}

describe('a reason phrase node:http will not write', () => {
  it('`200 OK<ESC>`: every request is answered 200 with the standard reason and a warning; the proxy keeps running', async () => {
    const app = await startHostileServer(
      () => ({ statusLine: 'HTTP/1.1 200 OK\u001b', body: (socket) => void socket.write('data: hello\n\n') }),
      cleanup,
    );
    const proc = await startConsoleProcess([], { cleanup, subcommand: ['proxy', appOrigin(app)] });
    for (let request = 1; request <= 2; request += 1) {
      const stream = openStream(proc.ssePort, { path: '/events', cleanup });
      await stream.until((client) => client.events.length === 1, `the event of request ${request}`);
      expect(stream.status).toBe(200);
      expect(stream.events[0]?.data).toBe('hello');
      stream.close();
    }
    const warning = await proc.waitForLog(
      (line) => line.type === 'proxy-stream-warning' && line['message'].includes('reason phrase'),
      'the warning about the reason phrase',
    );
    expect(warning['message']).toContain('"OK\\x1b"');
    expect(warning['message']).toContain('the browser got "OK" instead');
    expect(proc.exit).toBeUndefined();
    expect(crashSigns(proc)).toEqual([]);
  }, 30_000);
});

describe("the proxy's decoder is bounded as connect's is", () => {
  it('an event past 4 MiB reaches the browser unchanged, is reported cut, and decoding resumes after it; so is a line that never ends', async () => {
    const app = await startHostileServer(
      () => ({
        body: async (socket) => {
          socket.write('data: before\n\ndata: ');
          await writeMany(socket, 0x78, 12 * MiB);
          socket.write('\n\ndata: after\n\ndata: ');
          // A line that never ends: the body stops in the middle of it and stays open.
          await writeMany(socket, 0x79, 6 * MiB);
        },
      }),
      cleanup,
    );
    const proc = await startConsoleProcess([], { cleanup, subcommand: ['proxy', appOrigin(app)] });
    const lengths: number[] = [];
    const stream = openStream(proc.ssePort, {
      path: '/events',
      keepEvents: false,
      onEvent: (event) => lengths.push(event.data.length),
      cleanup,
    });
    const total = 'data: before\n\ndata: '.length + 12 * MiB + '\n\ndata: after\n\ndata: '.length + 6 * MiB;
    await stream.until((client) => client.bodyBytes === total, 'every byte at the browser', 30_000);
    expect(lengths).toEqual([6, 12 * MiB, 5]);

    const warnings = (): string[] =>
      proc.logs.filter((line) => line.type === 'proxy-stream-warning').map((line) => line['message']);
    await waitFor(() => warnings().length === 3, 'three warnings: the cut, the resume, the second cut', 20_000).catch(
      (error: unknown) => {
        throw new Error(`${String(error)}; warnings: ${JSON.stringify(warnings())}; stderr ${proc.stderr()}`);
      },
    );
    expect(warnings()[0]).toMatch(
      /^one line or event grew past 4194304 characters .*the browser still gets every byte/,
    );
    expect(warnings()[1]).toMatch(/^decoding resumed after the event too large to show ended \(\d+ more bytes/);
    expect(warnings()[2]).toMatch(/^one line or event grew past 4194304 characters/);
    const events = proc.logs.filter((line) => line.type === 'proxy-event').map((line) => line['data']);
    expect(events).toEqual(['before', 'after']);
    expect(proc.exit).toBeUndefined();
    expect(crashSigns(proc)).toEqual([]);
  }, 60_000);
});

describe('--json', () => {
  it('an event of 17 Mi control characters is one valid line, its data cut at 16 Mi with dataOmitted', async () => {
    const app = await startHostileServer(
      () => ({
        body: async (socket) => {
          socket.write('data: ');
          await writeMany(socket, 0x01, 17 * MiB);
          socket.write('\n\n');
        },
      }),
      cleanup,
    );
    const proc = await startConsoleProcess(['--max-buffer', '20MiB'], {
      cleanup,
      subcommand: ['proxy', appOrigin(app)],
    });
    openStream(proc.ssePort, { path: '/events', keepEvents: false, cleanup });
    const event = await proc.waitForLog((line) => line.type === 'proxy-event', 'the event line', 40_000);
    const data = String(event['data']);
    expect(data.length).toBe(16 * MiB);
    expect(/^\u0001*$/.test(data)).toBe(true);
    expect(event['dataOmitted']).toBe(MiB);
    expect(proc.otherOutput).toEqual([]);
    expect(proc.exit).toBeUndefined();
  }, 60_000);
});

describe("line mode's output goes through the console's line writer", () => {
  it('`proxy … | head`: exit 0, no EPIPE stack trace', async () => {
    const app = await startTicker(cleanup);
    const proxy = await startHumanProxy(appOrigin(app), cleanup);
    openStream(proxy.port, { path: '/events', keepEvents: false, cleanup });
    await waitFor(() => proxy.stdout().includes('tick 5'), 'a few events on stdout');
    // What `head` does once it has its lines: close its end of the pipe.
    proxy.child.stdout.destroy();
    const exit = await proxy.exited;
    expect(proxy.stderr()).toBe('');
    expect(exit).toEqual({ code: 0, signal: null });
  }, 30_000);

  it('a reader that stops reading: event lines are dropped with a summary, replies are kept', async () => {
    const app = await startTicker(cleanup, 'x'.repeat(2000));
    const proc = await startConsoleProcess([], { cleanup, subcommand: ['proxy', appOrigin(app)] });
    proc.child.stdout.pause();
    const stream = openStream(proc.ssePort, { path: '/events', keepEvents: false, cleanup });
    // 40 MB of events pass while nobody reads the log (pacing, not an assertion).
    await stream.until((client) => client.bodyBytes > 40 * MiB, '40 MB through the proxy', 40_000);
    stream.close();
    proc.type('conns');
    proc.child.stdout.resume();
    await proc.waitForLog(
      (line) => line.type === 'skipped' && line.text.includes('the output was not being read'),
      'the summary of dropped lines',
      20_000,
    );
    await proc.waitForLog((line) => line.type === 'command' && line.text === 'conns', 'the command is kept');
    expect(proc.count('proxy-event')).toBeLessThan((40 * MiB) / 2000);
    expect(proc.stderr()).toBe('');
  }, 60_000);
});
