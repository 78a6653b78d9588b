import { describe, expect, it } from 'vitest';
import { parseConnectArgs, parseDuration } from '../../cli/connect-args.js';
import { normalizeUrl } from '../../core/app/commands/values.js';
import { formatClock, formatData, formatEvent } from '../../cli/connect-format.js';
import { createRawFormatter } from '../../cli/connect-raw.js';
import { createPalette } from '../../cli/connect-style.js';
import { showBlock } from '../../core/terminal/terminal-text.js';

const plain = createPalette(false);
const coloured = createPalette(true);
const encode = (text: string) => new TextEncoder().encode(text);

describe('raw bytes view', () => {
  it('ends a display line at each line ending and marks it: ␍␊, ␊, ␍', () => {
    const raw = createRawFormatter(plain);
    expect(raw.format(encode('data: a\r\n\r\ndata: b\n\ndata: c\r\r'))).toEqual([
      'data: a\u240D\u240A',
      '\u240D\u240A',
      'data: b\u240A',
      '\u240A',
      'data: c\u240D',
      '\u240D',
    ]);
  });

  it('shows a CRLF split across chunks as it arrived, and a partial line without a marker', () => {
    const raw = createRawFormatter(plain);
    expect(raw.format(encode('data: a\r'))).toEqual(['data: a\u240D']);
    expect(raw.format(encode('\ndata: b'))).toEqual(['\u240A', 'data: b']);
  });

  it('shows a BOM, NUL, tab and other controls, and joins split UTF-8 sequences', () => {
    const raw = createRawFormatter(plain);
    const bytes = encode('\uFEFFdata:\t\0\u001B \u2026\n');
    expect(raw.format(bytes.subarray(0, 2))).toEqual([]);
    expect(raw.format(bytes.subarray(2, bytes.length - 2))).toEqual(['\u27E8BOM\u27E9data:\u2409\\x00\\x1b ']);
    expect(raw.format(bytes.subarray(bytes.length - 2))).toEqual(['\u2026\u240A']);
  });

  it('starts over after reset() (a new response)', () => {
    const raw = createRawFormatter(plain);
    raw.format(new Uint8Array([0xe2, 0x80]));
    raw.reset();
    expect(raw.format(encode('ok\n'))).toEqual(['ok\u240A']);
  });
});

describe('event view', () => {
  it('pretty-prints JSON objects and arrays, and colours them only when asked', () => {
    expect(formatData('{"a":[1,"x",null]}', plain)).toBe(
      '  {\n    "a": [\n      1,\n      "x",\n      null\n    ]\n  }',
    );
    const text = formatData('{"k":"v","n":-1.5e3,"t":true}', coloured);
    expect(text).toContain('\u001B[36m"k"\u001B[39m: \u001B[32m"v"\u001B[39m');
    expect(text).toContain('\u001B[33m-1500\u001B[39m');
    expect(text).toContain('\u001B[35mtrue\u001B[39m');
  });

  it('shows other data as it is, indented, with controls visible', () => {
    expect(formatData('line 1\nline 2', plain)).toBe('  line 1\n  line 2');
    expect(formatData('{not json', plain)).toBe('  {not json');
    expect(formatData('', plain)).toBe('  (empty data)');
    expect(formatData('\u001B[31mred\u009B', plain)).toBe('  \\x1b[31mred\\x9b');
  });

  it('says where the id came from', () => {
    const time = new Date(2024, 0, 2, 3, 4, 5, 67);
    const base = { event: 'message', data: 'x', time };
    expect(formatEvent({ ...base, id: '5', lastEventId: '5' }, plain)).toBe('03:04:05.067 message  id 5\n  x\n');
    expect(formatEvent({ ...base, id: undefined, lastEventId: '5' }, plain)).toContain(
      'no id; lastEventId 5 (carried over)',
    );
    expect(formatEvent({ ...base, id: '', lastEventId: '' }, plain)).toContain('id "" (clears the last event ID)');
    expect(formatEvent({ ...base, id: undefined, lastEventId: '' }, plain)).toContain('message  no id');
  });

  it('formats the clock as HH:MM:SS.mmm', () => {
    expect(formatClock(new Date(2024, 0, 1, 9, 8, 7, 6))).toBe('09:08:07.006');
  });

  it('keeps tab and LF but shows every other control character', () => {
    expect(showBlock('a\tb\nc\0d\u007F\r', 100)).toBe('a\tb\nc\\x00d\\x7f\u240d');
  });
});

describe('connect arguments', () => {
  it('parses durations with units', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('10')).toBeUndefined();
    expect(parseDuration('0s')).toBeUndefined();
    expect(parseDuration('-1s')).toBeUndefined();
  });

  it('assumes http:// when the scheme is left out', () => {
    expect(normalizeUrl('localhost:8122/events')).toBe('http://localhost:8122/events');
    expect(normalizeUrl(':8122/events')).toBe('http://127.0.0.1:8122/events');
    expect(normalizeUrl('https://example.com/s')).toBe('https://example.com/s');
  });

  it('collects every flag, before or after the URL', () => {
    const args = parseConnectArgs([
      'connect',
      '--json',
      'localhost:8122/events',
      '-H',
      'A: 1',
      '--header',
      'B:2',
      '--event',
      'tick',
      '--raw',
      '--max-events',
      '3',
      '--timeout',
      '2s',
      '--no-reconnect',
      '--no-color',
      '--last-event-id',
      '9',
    ]);
    expect(args).toEqual({
      kind: 'run',
      options: {
        url: 'http://localhost:8122/events',
        headers: { A: '1', B: '2' },
        lastEventId: '9',
        eventTypes: ['tick'],
        raw: true,
        json: true,
        maxEvents: 3,
        timeoutMs: 2000,
        timeoutText: '2s',
        reconnect: false,
        noColor: true,
        maxBufferSize: undefined,
        strict: false,
        method: 'GET',
        data: undefined,
        insecure: false,
        reconnectGiven: true,
      },
    });
    expect(parseConnectArgs(['connect', 'http://h/', '-n', '1'])).toMatchObject({
      kind: 'run',
      options: { url: 'http://h/', maxEvents: 1, reconnect: true, raw: false, json: false, eventTypes: [] },
    });
  });

  it('rejects a Last-Event-ID with a line break', () => {
    expect(parseConnectArgs(['http://h/', '--last-event-id', 'a\nb'])).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('--last-event-id may not contain CR, LF or NUL'),
    });
  });
});
