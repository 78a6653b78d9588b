import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startConsole, type RunningConsole } from '../../../../core/app/console/start-console.js';
import type { LogEntry } from '../../../../core/app/console/types.js';
import type { ScriptEnd } from '../../../../core/app/console/commands/console-context.js';
import { consoleLanguage } from '../../../../core/app/console/console-language.js';
import { describeExpectation, type ExpectCommand } from '../../../../core/app/console/commands/expect.js';
import { openEventSource, useCleanup, waitFor } from '../../stream/support.js';

// `expect`: its parsing and help, then its verdicts on a real console with real EventSource clients.

const cleanup = useCleanup();
const parse = (line: string) => consoleLanguage.parseCommandLine(line);

function parsed(line: string): ExpectCommand {
  const result = parse(line);
  if (!result.ok || result.command.name !== 'expect') throw new Error(`did not parse: ${line}`);
  return result.command;
}

describe('expect: parsing', () => {
  it.each([
    [
      'expect event --data Hello within 2s',
      { name: 'expect', target: { kind: 'event', data: 'Hello' }, withinMs: 2000 },
    ],
    [
      'expect event -e tick --id 5 --channel clock',
      { name: 'expect', target: { kind: 'event', event: 'tick', id: '5' }, channel: 'clock', withinMs: 5000 },
    ],
    ['expect connections 3', { name: 'expect', target: { kind: 'connections', count: 3 }, withinMs: 0 }],
    ['expect connections 0 within 1.5s', { name: 'expect', target: { kind: 'connections', count: 0 }, withinMs: 1500 }],
    [
      'expect reconnect --last-event-id 5 within 10s',
      { name: 'expect', target: { kind: 'reconnect', lastEventId: '5' }, withinMs: 10_000 },
    ],
    ['expect reconnect', { name: 'expect', target: { kind: 'reconnect' }, withinMs: 5000 }],
  ])('%j', (line, command) => {
    expect(parse(line)).toEqual({ ok: true, command });
  });

  it.each([
    ['expect', /expect: missing WHAT \(event, connections N or reconnect/],
    ['expect events', /expect what\? "events" is not one of event, connections, reconnect/],
    ['expect connections', /N is a whole number from 0 to 100000; got ""/],
    ['expect connections three', /N is a whole number from 0 to 100000; got "three"/],
    ['expect connections 3 4', /got "3 4"/],
    ['expect event --last-event-id 5', /expect event takes --data, --event, --id, --channel; --last-event-id is not/],
    ['expect connections 2 --data x', /expect connections takes --channel; --data is not one of them/],
    ['expect event within 2s --data x within 3s', /`within DURATION` comes last, once/],
    ['expect event within soon', /within "soon": write a duration from 1ms to 10m/],
    ['expect event within 11m', /within "11m": write a duration from 1ms to 10m/],
    ['expect event hello', /unexpected "hello"; give what to match as flags/],
    ['expect event --channel "a b"', /--channel/],
  ])('%j is refused with what is wrong and the usage', (line, message) => {
    const result = parse(line);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(message);
      expect(result.error).toContain('expect event [--data TEXT]');
    }
  });

  it('says the expectation in words', () => {
    expect(describeExpectation(parsed('expect event --data Hello -e greet within 2s'))).toBe(
      'an event with data "Hello", type "greet" sent on /events within 2s',
    );
    expect(describeExpectation(parsed('expect event --channel clock'))).toBe(
      'an event sent on /events/clock within 5s',
    );
    expect(describeExpectation(parsed('expect connections 1'))).toBe('1 open connection now');
    expect(describeExpectation(parsed('expect connections 2 --channel chat within 3s'))).toBe(
      '2 open connections on /events/chat within 3s',
    );
    expect(describeExpectation(parsed('expect reconnect --last-event-id 5 within 10s'))).toBe(
      'a reconnect with Last-Event-ID "5" within 10s',
    );
  });

  it('has help, and is never repeated by every', () => {
    const help = consoleLanguage.helpLines('expect').join('\n');
    expect(consoleLanguage.commandOverviewLines().join('\n')).toMatch(/expect\s+Check that an event is sent/);
    expect(help).toContain('SENT from now on');
    expect(help).toContain('--last-event-id ID');
    expect(help).toContain('expect reconnect --last-event-id 5 within 10s');
    expect(parse('every 1s expect connections 1')).toMatchObject({ ok: false });
  });
});

async function start(): Promise<{ running: RunningConsole; log: LogEntry[] }> {
  const running = await startConsole({ ssePort: 0, pagePort: 0, heartbeatMs: 0 });
  cleanup(() => running.controller.dispose());
  const log: LogEntry[] = [];
  running.controller.onLog((entry) => log.push(entry));
  return { running, log };
}

const verdicts = (log: readonly LogEntry[]) =>
  log.filter((e) => e.fields?.type === 'expectation' && e.fields.result !== 'waiting');

describe('expect: verdicts on a real console', () => {
  it('passes on a matching event sent after it, and fails naming what was sent instead', async () => {
    const { running, log } = await start();
    const tab = openEventSource(running.sseUrl, cleanup);
    await waitFor(() => tab.opened === 1, 'the tab to open');
    running.controller.execute('send --data before');
    running.controller.execute('expect event --data before within 300ms');
    running.controller.execute('expect event --data Hello --event greet within 2s');
    running.controller.execute('send --data Hello');
    running.controller.execute('send --data Hello --event greet --id');
    await waitFor(() => verdicts(log).length === 2, 'both verdicts');
    const [passed, failed] = verdicts(log);
    expect(passed).toMatchObject({
      kind: 'info',
      fields: { result: 'passed', expected: 'an event with data "Hello", type "greet" sent on /events within 2s' },
    });
    expect(passed?.text).toMatch(/^expectation passed: an event with data "Hello", type "greet" .* \(after \d+ ms\)$/);
    // "before" was sent before the expectation was armed: it does not count.
    expect(failed).toMatchObject({
      kind: 'error',
      text: 'expectation failed: expected an event with data "before" sent on /events within 300ms; saw 2 events sent, none matching (last: data "Hello", type "greet", id "1")',
    });
  });

  it('counts connections now or within a time, per channel', async () => {
    const { running, log } = await start();
    running.controller.execute('expect connections 0');
    running.controller.execute('expect connections 1');
    await waitFor(() => verdicts(log).length === 2, 'the two checks at once');
    expect(verdicts(log).map((e) => e.text)).toEqual([
      'expectation passed: 0 open connections now',
      'expectation failed: expected 1 open connection now; saw 0 open',
    ]);
    running.controller.execute('expect connections 2 within 5s');
    running.controller.execute('expect connections 1 --channel chat within 5s');
    openEventSource(running.sseUrl, cleanup);
    openEventSource(new URL('/events/chat', running.sseUrl).href, cleanup);
    await waitFor(() => verdicts(log).length === 4, 'the two timed checks');
    // The two connect in either order: compare the verdicts sorted.
    const timed = verdicts(log)
      .slice(2)
      .map((e) => e.fields)
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(timed).toMatchObject([
      { result: 'passed', expected: '1 open connection on /events/chat within 5s' },
      { result: 'passed', expected: '2 open connections within 5s' },
    ]);
  });

  it('sees a client reconnect with its Last-Event-ID', async () => {
    const { running, log } = await start();
    const tab = openEventSource(running.sseUrl, cleanup);
    await waitFor(() => tab.opened === 1, 'the tab to open');
    running.controller.execute('retry 50');
    running.controller.execute('send --id --data one');
    running.controller.execute('send --id --data two');
    await waitFor(() => tab.data().length === 2, 'both events');
    running.controller.execute('expect reconnect --last-event-id 2 within 5s');
    running.controller.execute('expect reconnect --last-event-id 7 within 1s');
    running.controller.execute('close all');
    await waitFor(() => verdicts(log).length === 2, 'both verdicts');
    expect(verdicts(log).map((e) => e.text)).toEqual([
      expect.stringMatching(/^expectation passed: a reconnect with Last-Event-ID "2" within 5s/) as unknown,
      'expectation failed: expected a reconnect with Last-Event-ID "7" within 1s; saw 1 connection with Last-Event-ID "2"',
    ]);
  });

  it('in a script: names the line, waits for its expectations before it ends and reports the tally', async () => {
    const { running, log } = await start();
    const dir = mkdtempSync(join(tmpdir(), 'sse-expect-'));
    cleanup(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'test.txt');
    writeFileSync(
      file,
      [
        'expect connections 0',
        'expect event --data Hello within 2s',
        'send Hello',
        'wait expectations',
        'expect event --data never within 200ms',
      ].join('\n'),
    );
    const ends: ScriptEnd[] = [];
    running.controller.onScriptEnd((end) => ends.push(end));
    running.controller.execute(`source ${file}`);
    await waitFor(() => ends.length === 1, 'the script to end');
    expect(ends).toEqual([{ file, how: 'finished', passed: 2, failed: 1 }]);
    expect(verdicts(log).map((e) => e.text)).toEqual([
      `expectation passed (${file}:1): 0 open connections now`,
      expect.stringMatching(new RegExp(`^expectation passed \\(${file}:2\\): an event with data "Hello"`)) as unknown,
      `expectation failed (${file}:5): expected an event with data "never" sent on /events within 200ms; saw no event sent`,
    ]);
    const finished = log.find((e) => e.fields?.type === 'script' && e.fields.state === 'finished');
    expect(finished).toMatchObject({
      kind: 'error',
      text: `script ${file} finished: 1 of 3 expectations failed`,
      fields: { expectations: { passed: 2, failed: 1 } },
    });
    // The verdict came before the end: the script waited for it.
    expect(log.indexOf(finished as LogEntry)).toBeGreaterThan(log.indexOf(verdicts(log)[2] as LogEntry));
  });
});
