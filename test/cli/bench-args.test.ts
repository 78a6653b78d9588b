import { describe, expect, it } from 'vitest';
import { isLoopbackHost, parseBenchArgs } from '../../cli/bench-args.js';

describe('parseBenchArgs', () => {
  it('has bounded defaults and takes every flag', () => {
    expect(parseBenchArgs([':8122/events'])).toEqual({
      kind: 'run',
      options: {
        url: 'http://127.0.0.1:8122/events',
        connections: 10,
        rampMs: 0,
        durationMs: 10_000,
        method: 'GET',
        headers: {},
        data: undefined,
        json: false,
        insecure: false,
      },
    });
    expect(
      parseBenchArgs([
        'localhost:3000/chat',
        '-c',
        '50',
        '--ramp',
        '5s',
        '-D',
        '30s',
        '-d',
        '{"prompt":"hi"}',
        '-H',
        'Content-Type: application/json',
        '--json',
      ]),
    ).toMatchObject({
      kind: 'run',
      options: {
        url: 'http://localhost:3000/chat',
        connections: 50,
        rampMs: 5000,
        durationMs: 30_000,
        method: 'POST',
        data: { text: '{"prompt":"hi"}' },
        headers: { 'Content-Type': 'application/json' },
        json: true,
      },
    });
    expect(parseBenchArgs(['--help'])).toEqual({ kind: 'help' });
  });

  it('loads this machine, and another host only when it is named with --allow-host', () => {
    expect(parseBenchArgs(['https://example.com/sse'])).toEqual({
      kind: 'error',
      message:
        'bench loads this machine only (localhost, 127.0.0.1, ::1); to load example.com, which must be yours, add --allow-host example.com',
    });
    expect(parseBenchArgs(['https://example.com/sse', '--allow-host', 'other.example'])).toMatchObject({
      kind: 'error',
    });
    expect(parseBenchArgs(['https://example.com/sse', '--allow-host', 'example.com'])).toMatchObject({ kind: 'run' });
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'app.localhost'])
      expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['10.0.0.1', '0.0.0.0', 'localhost.evil.com', '[::ffff:8.8.8.8]', '128.0.0.1'])
      expect(isLoopbackHost(host)).toBe(false);
  });

  it.each([
    [['-c', '0', ':1/'], '--connections takes 1 to 1000; got "0"'],
    [['-c', '1001', ':1/'], '--connections takes 1 to 1000; got "1001"'],
    [['-D', '11m', ':1/'], '--duration 11m is longer than the most a bench runs, 10m'],
    [['-D', 'soon', ':1/'], '--duration "soon" is not a duration; write 500ms, 2s, 1m'],
    [['-D', '2s', '--ramp', '2s', ':1/'], '--ramp (2s) must be shorter than --duration'],
    [['-d', 'x', '-X', 'GET', ':1/'], 'a GET request has no body; drop -d or use -X POST'],
    [[], 'bench takes one URL (got 0): sse-console bench http://127.0.0.1:8122/events'],
    [['ftp://127.0.0.1/'], 'bench speaks http: and https:, not ftp:'],
  ])('%j is refused: %s', (argv, message) => {
    expect(parseBenchArgs(argv)).toEqual({ kind: 'error', message });
  });
});
