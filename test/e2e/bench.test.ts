import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { BenchReport } from '../../cli/bench.js';
import { startConsoleProcess } from '../support/console-process.js';
import { binaryPath } from '../support/project-root.js';
import { useCleanup } from '../support/wait.js';

// `sse-console bench URL` (the built binary) against the console's own stream (the built
// binary too), which a job feeds at a known rate with the send time in the data.

const cleanup = useCleanup();
const CONNECTIONS = 4;
const INTERVAL_MS = 100;

function bench(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [binaryPath, 'bench', ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('sse-console bench', () => {
  it('measures the console stream: events/s ≈ the send rate × connections, small latency, no errors', async () => {
    const running = await startConsoleProcess(['--heartbeat', '0'], { cleanup });
    running.send(`every ${INTERVAL_MS}ms send --data "{iso}"`);
    await running.waitForRecord('the job', (r) => r.type === 'sent');
    const result = await bench([running.sseUrl, '-c', String(CONNECTIONS), '-D', '2s', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout.trim()) as BenchReport;
    expect(report).toMatchObject({
      type: 'bench',
      method: 'GET',
      connections: { asked: CONNECTIONS, opened: CONNECTIONS, failed: 0 },
      reconnects: 0,
      errors: 0,
      errorMessages: [],
    });
    // What was sent: 1000 / INTERVAL_MS events/s to each connection.
    const sentPerSecond = (1000 / INTERVAL_MS) * CONNECTIONS;
    expect(report.eventsPerSecond).toBeGreaterThan(sentPerSecond * 0.7);
    expect(report.eventsPerSecond).toBeLessThan(sentPerSecond * 1.15);
    expect(report.durationMs).toBeGreaterThanOrEqual(2000);
    // The job's events are INTERVAL_MS apart on every connection.
    expect(report.gapMs?.p50).toBeGreaterThan(INTERVAL_MS * 0.7);
    expect(report.gapMs?.p50).toBeLessThan(INTERVAL_MS * 1.3);
    // The data is the send time ({iso}): same machine, loopback.
    expect(report.latencyMs?.count).toBe(report.events);
    expect(report.latencyMs?.p50).toBeGreaterThanOrEqual(-5);
    expect(report.latencyMs?.p50).toBeLessThan(100);
    expect(report.firstEventMs?.count).toBe(CONNECTIONS);
    expect(report.firstEventMs?.max).toBeLessThan(INTERVAL_MS + 500);
    expect(report.openMs?.count).toBe(CONNECTIONS);
    // The console saw the same connections come and go.
    expect(running.count('connected')).toBe(CONNECTIONS);
  });

  it('human report, and refuses a host that is not this machine', async () => {
    const running = await startConsoleProcess(['--heartbeat', '0'], { cleanup });
    running.send('every 50ms send --data tick');
    await running.waitForRecord('the job', (r) => r.type === 'sent');
    const result = await bench([running.sseUrl, '-c', '2', '-D', '1s', '--ramp', '200ms']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`bench ${running.sseUrl}: 2 connections for 1000 ms, opened over 200 ms`);
    expect(result.stdout).toMatch(/connections +2 of 2 opened, 0 failed/);
    expect(result.stdout).toMatch(/time to first event +p50 \d/);
    expect(result.stdout).toMatch(/latency +no server timestamps in the data/);
    const refused = await bench(['http://192.0.2.1/events', '-D', '1s']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('add --allow-host 192.0.2.1');
  });
});
