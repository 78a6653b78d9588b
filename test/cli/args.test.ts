import { describe, expect, it } from 'vitest';
import { parseConsoleArgs } from '../../cli/args.js';

const pages = ['index', 'textarea', 'clock'];

describe('sse-console argv', () => {
  it('has the Racket example defaults', () => {
    const result = parseConsoleArgs([], pages);
    expect(result).toEqual({
      kind: 'run',
      args: expect.objectContaining({
        pagePort: 8080,
        ssePort: 8122,
        host: '127.0.0.1',
        strictPort: false,
        open: undefined,
        tui: true,
        json: false,
        cors: [],
      }),
    });
  });

  it('parses every option', () => {
    const result = parseConsoleArgs(
      [
        '--port',
        '0',
        '--sse-port=9000',
        '--host',
        '::1',
        '--strict-port',
        '--open',
        'clock',
        '--history-limit',
        '50',
        '--history-file',
        'h.jsonl',
        '--heartbeat',
        '0',
        '--cors',
        'http://localhost:3000',
        '--cors',
        'https://a.example',
        '--token',
        's3cret',
        '--max-connections',
        '10',
        '--no-tui',
        '--json',
        '--script',
        'lesson.txt',
        '--repl',
        '--http2',
      ],
      pages,
    );
    expect(result).toEqual({
      kind: 'run',
      args: {
        pagePort: 0,
        ssePort: 9000,
        host: '::1',
        strictPort: true,
        open: 'clock',
        historyLimit: 50,
        historyFile: 'h.jsonl',
        heartbeatMs: 0,
        cors: ['http://localhost:3000', 'https://a.example'],
        token: 's3cret',
        maxConnections: 10,
        tui: false,
        json: true,
        script: 'lesson.txt',
        repl: true,
        http2: true,
      },
    });
  });

  it('takes --open with no page, and --open=PAGE', () => {
    expect(parseConsoleArgs(['--open'], pages)).toMatchObject({ kind: 'run', args: { open: 'textarea' } });
    expect(parseConsoleArgs(['--open=index'], pages)).toMatchObject({ kind: 'run', args: { open: 'index' } });
    expect(parseConsoleArgs(['--open', '--no-tui'], pages)).toMatchObject({
      kind: 'run',
      args: { open: 'textarea', tui: false },
    });
  });

  it('takes --script FILE, and refuses an empty one', () => {
    expect(parseConsoleArgs(['--script', 'reconnect'], pages)).toMatchObject({
      kind: 'run',
      args: { script: 'reconnect' },
    });
    expect(parseConsoleArgs([], pages)).toMatchObject({ kind: 'run', args: { script: undefined } });
    expect(parseConsoleArgs(['--script='], pages)).toEqual({
      kind: 'error',
      message: '--script takes a lesson script FILE (or a shipped lesson name such as reconnect)',
    });
  });

  it('takes --repl', () => {
    expect(parseConsoleArgs(['--repl'], pages)).toMatchObject({ kind: 'run', args: { repl: true } });
    expect(parseConsoleArgs([], pages)).toMatchObject({ kind: 'run', args: { repl: false } });
  });

  it('takes --http2, and --tls as the same flag; --help lists both', async () => {
    expect(parseConsoleArgs(['--http2'], pages)).toMatchObject({ kind: 'run', args: { http2: true } });
    expect(parseConsoleArgs(['--tls'], pages)).toMatchObject({ kind: 'run', args: { http2: true } });
    expect(parseConsoleArgs([], pages)).toMatchObject({ kind: 'run', args: { http2: false } });
    const { consoleHelp } = await import('../../cli/help-text.js');
    expect(consoleHelp('0.0.0')).toMatch(/--http2, --tls +serve the stream and the pages over HTTP\/2 with TLS/);
  });

  it('takes --redis URL, and --help says what it does', async () => {
    const parsed = parseConsoleArgs(['--redis', 'redis://:secret@127.0.0.1:6380'], pages);
    expect(parsed.kind === 'run' ? parsed.args.redis : parsed).toBe('redis://:secret@127.0.0.1:6380');
    const { consoleHelp } = await import('../../cli/help-text.js');
    expect(consoleHelp('0.0.0')).toMatch(/--redis URL +keep every stream's replay log in Redis/);
  });

  it('answers help and version', () => {
    expect(parseConsoleArgs(['--help'], pages)).toEqual({ kind: 'help' });
    expect(parseConsoleArgs(['-v'], pages)).toEqual({ kind: 'version' });
  });

  it.each([
    [['--port', 'abc'], /--port must be a whole number from 0 to 65535, got "abc"/],
    [['--port', '70000'], /--port must be a whole number from 0 to 65535/],
    [['--sse-port', '-1'], /sse-port/],
    [['--bogus'], /Unknown option '--bogus'[\s\S]*valid options: --port/],
    [['--open=nope'], /--open takes a page name \(index, textarea, clock\), got "nope"/],
    [['--cors', 'localhost:3000/x'], /--cors takes an origin like http:\/\/localhost:3000/],
    [['--token', 'has space'], /--token must be 1 to 256 printable ASCII/],
    [['stray'], /unexpected argument "stray"/],
    [['--history-limit', '0'], /--history-limit must be a whole number from 1/],
    [
      ['--redis', 'localhost:6379'],
      /--redis takes a Redis URL like redis:\/\/127\.0\.0\.1:6379 .*; "localhost:6379" has no scheme: write redis:\/\/localhost:6379/,
    ],
    [
      ['--redis', 'http://127.0.0.1:6379'],
      /--redis takes a Redis URL .*; "http:\/\/127\.0\.0\.1:6379" is a http:\/\/ URL/,
    ],
    [
      ['--redis', 'redis://bad host:1'],
      /--redis takes a Redis URL like redis:\/\/127\.0\.0\.1:6379 \(redis:\/\/ or rediss:\/\/ for TLS; .*\), got "redis:\/\/bad host:1"/,
    ],
    [
      ['--redis', 'redis://127.0.0.1:6379', '--history-file', 'x.jsonl'],
      /--redis and --history-file both keep the replay log: give one/,
    ],
  ])('rejects %j with a clear message', (argv, message) => {
    const result = parseConsoleArgs(argv, pages);
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' ? result.message : '').toMatch(message);
  });

  it('turns --cors * into any origin', () => {
    expect(parseConsoleArgs(['--cors', '*'], pages)).toMatchObject({ kind: 'run', args: { cors: '*' } });
  });
});
