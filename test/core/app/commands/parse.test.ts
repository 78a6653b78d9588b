import { describe, expect, it } from 'vitest';
import { isBlank } from '../../../../core/app/commands/index.js';
import type { Command } from '../../../../core/app/commands/index.js';
import { consoleLanguage } from '../../../../core/app/console/console-language.js';

const { parseCommandLine, parseTokens } = consoleLanguage;

const sendOf = (fields: Partial<Extract<Command, { name: 'send' }>>): Command => ({
  name: 'send',
  data: '',
  id: false,
  json: false,
  ...fields,
});

const cases: readonly (readonly [string, Command])[] = [
  // send
  ['send', sendOf({})],
  ['send Hello', sendOf({ data: 'Hello' })],
  ['send Hello   world', sendOf({ data: 'Hello world' })],
  ['send --data "Hello World!" --id', sendOf({ data: 'Hello World!', id: true })],
  ['send --data=one --data two', sendOf({ data: 'one\ntwo' })],
  ['send a b --data x c', sendOf({ data: 'a b\nx\nc' })],
  ['send "a\\nb"', sendOf({ data: 'a\nb' })],
  ['send --data ""', sendOf({ data: '' })],
  ['send --data "" --data ""', sendOf({ data: '\n' })],
  ['send -d 1 -e tick -i -r 0 -j -t 2', sendOf({ data: '1', event: 'tick', id: true, retry: 0, json: true, to: 2 })],
  [
    'send --event my-custom-event --data "Hello World! 1"',
    sendOf({ data: 'Hello World! 1', event: 'my-custom-event' }),
  ],
  ['send --event=tick', sendOf({ event: 'tick' })],
  ['send --retry 5000', sendOf({ retry: 5000 })],
  ['send --to #3 hi', sendOf({ data: 'hi', to: 3 })],
  ['send --file payload.json --json --id', sendOf({ file: 'payload.json', json: true, id: true })],
  ['send -f "my notes.txt" --event note', sendOf({ file: 'my notes.txt', event: 'note' })],
  [`send --json --data '{"a": [1, 2]}'`, sendOf({ data: '{"a": [1, 2]}', json: true })],
  ['send --json 42', sendOf({ data: '42', json: true })],
  ['send -- --not-a-flag -x', sendOf({ data: '--not-a-flag -x' })],
  ['send --data=--dash', sendOf({ data: '--dash' })],
  ['send -5 -', sendOf({ data: '-5 -' })],
  ['send --data {time}', sendOf({ data: '{time}' })],
  ['send héllo 😀 "\u0001"', sendOf({ data: 'héllo 😀 \u0001' })],
  ['send --data "a\u0000b"', sendOf({ data: 'a\u0000b' })],
  ['  send   x  ', sendOf({ data: 'x' })],
  // comment, retry
  ['comment', { name: 'comment', text: '' }],
  ['comment keep alive', { name: 'comment', text: 'keep alive' }],
  ['comment -- "--not a flag"', { name: 'comment', text: '--not a flag' }],
  ['retry 3000', { name: 'retry', ms: 3000 }],
  ['retry 0', { name: 'retry', ms: 0 }],
  // every
  [
    'every 1s send --event tick --data "{time}"',
    {
      name: 'every',
      intervalMs: 1000,
      tokens: ['send', '--event', 'tick', '--data', '{time}'],
      source: 'send --event tick --data "{time}"',
    },
  ],
  ['every 250 comment {n}', { name: 'every', intervalMs: 250, tokens: ['comment', '{n}'], source: 'comment {n}' }],
  [
    `every 1.5s send --json --data '{"n": {n}}'`,
    {
      name: 'every',
      intervalMs: 1500,
      tokens: ['send', '--json', '--data', '{"n": {n}}'],
      source: `send --json --data '{"n": {n}}'`,
    },
  ],
  ['every 2m stop all', { name: 'every', intervalMs: 120_000, tokens: ['stop', 'all'], source: 'stop all' }],
  // jobs, stop, close
  ['jobs', { name: 'jobs' }],
  ['stop 1', { name: 'stop', job: 1 }],
  ['stop #2', { name: 'stop', job: 2 }],
  ['stop %3', { name: 'stop', job: 3 }],
  ['stop all', { name: 'stop', job: 'all' }],
  ['stop script', { name: 'stop', job: 'script' }],
  // source
  ['source reconnect', { name: 'source', file: 'reconnect' }],
  ['source "lessons/my lesson.txt"', { name: 'source', file: 'lessons/my lesson.txt' }],
  ['close 3', { name: 'close', target: 3 }],
  ['close #3', { name: 'close', target: 3 }],
  ['close all', { name: 'close', target: 'all' }],
  // respond
  ['respond 204', { name: 'respond', status: 204, headers: [], once: false }],
  ['respond 401 --once', { name: 'respond', status: 401, headers: [], once: true }],
  [
    'respond 500 --header "Retry-After: 5" -H X-A:b',
    {
      name: 'respond',
      status: 500,
      headers: [
        ['Retry-After', '5'],
        ['X-A', 'b'],
      ],
      once: false,
    },
  ],
  ['respond reset', { name: 'respond-reset' }],
  // the rest
  ['conns', { name: 'conns' }],
  ['history', { name: 'history', action: 'show' }],
  ['history clear', { name: 'history', action: 'clear' }],
  ['history save events.json', { name: 'history', action: 'save', file: 'events.json' }],
  ['history load "my events.json"', { name: 'history', action: 'load', file: 'my events.json' }],
  ['pages', { name: 'pages' }],
  ['open', { name: 'open' }],
  ['open clock', { name: 'open', page: 'clock' }],
  ['raw on', { name: 'raw', on: true }],
  ['raw off', { name: 'raw', on: false }],
  ['clear', { name: 'clear' }],
  ['help', { name: 'help' }],
  ['help send', { name: 'help', topic: 'send' }],
  ['send --help', { name: 'help', topic: 'send' }],
  ['retry -h', { name: 'help', topic: 'retry' }],
  ['exit --help', { name: 'help', topic: 'quit' }],
  ['quit', { name: 'quit' }],
  ['exit', { name: 'quit' }],
  ['connect http://127.0.0.1:8122/events', { name: 'connect', url: 'http://127.0.0.1:8122/events', headers: [] }],
  // As `sse-console connect localhost:8122/events` takes it (one normalizeUrl for both).
  ['connect localhost:8122/events', { name: 'connect', url: 'http://localhost:8122/events', headers: [] }],
  [
    'connect https://example.com/s --header "Authorization: Bearer x" --last-event-id 3',
    {
      name: 'connect',
      url: 'https://example.com/s',
      headers: [['Authorization', 'Bearer x']],
      lastEventId: '3',
    },
  ],
  ['connect http://a/ --last-event-id=', { name: 'connect', url: 'http://a/', headers: [], lastEventId: '' }],
  [
    'connect http://a/ -d \'{"q":1}\' -k',
    { name: 'connect', url: 'http://a/', headers: [], method: 'POST', body: { text: '{"q":1}' }, insecure: true },
  ],
  [
    'connect http://a/ -X PUT --data @body.json --reconnect',
    { name: 'connect', url: 'http://a/', headers: [], method: 'PUT', body: { file: 'body.json' }, reconnect: true },
  ],
  ['connect http://a/ --method DELETE', { name: 'connect', url: 'http://a/', headers: [], method: 'DELETE' }],
  ['disconnect', { name: 'disconnect' }],
  ['tour', { name: 'tour', action: 'start' }],
  ['tour next', { name: 'tour', action: 'next' }],
  ['tour stop', { name: 'tour', action: 'stop' }],
];

describe('parseCommandLine', () => {
  it.each(cases)('%j', (line, command) => {
    expect(parseCommandLine(line)).toEqual({ ok: true, command });
  });

  it('answers a blank line with a hint', () => {
    for (const line of ['', '   ', '\t \t']) {
      expect(parseCommandLine(line)).toEqual({ ok: false, error: 'type a command, or help' });
    }
  });

  it('keeps the every source as typed, quotes and all', () => {
    const result = parseCommandLine("every 1s   send   'a  b'   ");
    expect(result.ok && result.command.name === 'every' && result.command.source).toBe("send   'a  b'");
  });
});

describe('isBlank', () => {
  it.each([
    ['', true],
    ['  \t ', true],
    ['x', false],
    [' help ', false],
    ['\u00a0', false],
  ])('%j → %s', (line, blank) => {
    expect(isBlank(line)).toBe(blank);
  });
});

describe('parseTokens', () => {
  it('parses words that were already split', () => {
    expect(parseTokens(['send', '--data', 'tick 1', '--id'])).toEqual({
      ok: true,
      command: sendOf({ data: 'tick 1', id: true }),
    });
  });

  it('gives an every job a source that tokenizes back to its words', () => {
    const result = parseTokens(['every', '1s', 'send', '--data', 'two words']);
    expect(result.ok && result.command.name === 'every' && result.command.source).toBe('send --data "two words"');
  });

  it('treats words as words: no quote or escape processing', () => {
    expect(parseTokens(['send', '"quoted"', 'a\\nb'])).toEqual({
      ok: true,
      command: sendOf({ data: '"quoted" a\\nb' }),
    });
  });

  it('answers an empty list with a hint', () => {
    expect(parseTokens([])).toEqual({ ok: false, error: 'type a command, or help' });
  });
});
