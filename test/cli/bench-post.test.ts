import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runBench, type BenchReport } from '../../cli/bench.js';

// bench against a real LLM-shaped endpoint: POST with a JSON body, JSON events with `ts`.

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Streams `{"token":…,"ts":…}` every 50 ms to a POST whose body has a prompt; anything else gets 400. */
async function chatServer(bodies: string[]): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      bodies.push(`${req.method ?? ''} ${body}`);
      if (req.method !== 'POST' || !body.includes('prompt')) {
        res.writeHead(400).end('a POST with a prompt');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      let n = 0;
      const timer = setInterval(() => {
        n += 1;
        res.write(`data: ${JSON.stringify({ token: `t${n}`, ts: Date.now() })}\n\n`);
      }, 50);
      res.on('close', () => clearInterval(timer));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/chat`;
}

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  return { stdout, stderr, out: () => out, err: () => err };
}

describe('bench on a POST stream', () => {
  it('sends the body on every connection and reads the JSON timestamps', async () => {
    const bodies: string[] = [];
    const url = await chatServer(bodies);
    const io = capture();
    const code = await runBench(
      [url, '-c', '3', '-D', '1s', '-d', '{"prompt":"hi"}', '-H', 'Content-Type: application/json', '--json'],
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(bodies).toEqual(Array.from({ length: 3 }, () => 'POST {"prompt":"hi"}'));
    const report = JSON.parse(io.out().trim()) as BenchReport;
    expect(report).toMatchObject({ method: 'POST', connections: { asked: 3, opened: 3, failed: 0 }, errors: 0 });
    expect(report.events).toBeGreaterThan(3 * 10);
    expect(report.latencyMs?.count).toBe(report.events);
    expect(report.latencyMs?.p50).toBeLessThan(100);
  });

  it('counts a refused stream as failed, keeps its error, exits 1; Ctrl+C stops early', async () => {
    const url = await chatServer([]);
    const io = capture();
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 300);
    // No body: the server answers 400.
    const code = await runBench([url, '-c', '2', '-D', '10s', '--json'], { ...io, signal: stop.signal });
    expect(code).toBe(1);
    const report = JSON.parse(io.out().trim()) as BenchReport;
    expect(report).toMatchObject({ connections: { opened: 0, failed: 2 }, stoppedEarly: true, events: 0 });
    expect(report.durationMs).toBeLessThan(2000);
    expect(report.errors).toBe(2);
    expect(report.errorMessages[0]).toMatch(/400/);
  });
});
