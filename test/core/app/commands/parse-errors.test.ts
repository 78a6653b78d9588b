import { describe, expect, it } from 'vitest';
import { MAX_LINE_LENGTH } from '../../../../core/app/commands/index.js';
import { consoleLanguage } from '../../../../core/app/console/console-language.js';

const { parseCommandLine, parseTokens } = consoleLanguage;

/** The error for `line`, failing the test if the line parses. */
function errorOf(line: string): string {
  const result = parseCommandLine(line);
  if (result.ok)
    throw new Error(`expected an error for ${JSON.stringify(line)}, got ${JSON.stringify(result.command)}`);
  return result.error;
}

const SEND_USAGE =
  'usage: send [TEXT] [--data TEXT]… [--file PATH] [--event NAME] [--id[=ID]] [--retry MS] [--json] [--to CONN] [--channel NAME]';

// Each row: a line, what the error must say was wrong, and the valid form it must show.
const cases: readonly (readonly [string, RegExp, string])[] = [
  // unknown commands
  ['sned hi', /^unknown command "sned" \(did you mean send\?\)/, 'type help to list the commands'],
  ['SEND hi', /^unknown command "SEND" \(did you mean send\?\)/, 'type help'],
  ['hist', /^unknown command "hist" \(did you mean history\?\)/, 'type help'],
  ['xyzzy', /^unknown command "xyzzy"; type help/, 'type help to list the commands'],
  // unknown flags
  [
    'send --evnt tick',
    /^send: unknown flag "--evnt" \(did you mean --event\?\)/,
    'its flags are --data (-d), --event (-e), --id (-i), --retry (-r), --file (-f), --json (-j), --to (-t), --channel (-c)',
  ],
  ['send -event tick', /unknown flag "-event" \(did you mean --event\?\)/, 'its flags are'],
  ['send --nope', /^send: unknown flag "--nope"; its flags are/, 'for text that starts with "-", put -- before it'],
  ['respond 200 --heder X:y', /unknown flag "--heder" \(did you mean --header\?\)/, '--header (-H), --once'],
  ['jobs --all', /^jobs: takes no flags, but got "--all"/, 'usage: jobs'],
  ['comment --x', /^comment: takes no flags, but got "--x"/, 'put -- before it'],
  // switches given a value
  ['send --id=', /--id= needs a value \(--id=ID\)/, 'write --id alone for the default'],
  ['send --id=a --id=b', /--id is given two ids \("a", "b"\); give one/, 'usage: send'],
  ['respond 401 --once=true', /--once is a switch and takes no value/, 'write --once alone'],
  // missing values
  ['send --event', /^send: --event needs a value \(NAME\)/, SEND_USAGE],
  ['send --data --id', /--data needs a value \(TEXT\) but the next word is the flag "--id"/, 'write "--data=--id"'],
  ['connect http://a/ --last-event-id', /--last-event-id needs a value \(ID\)/, 'usage: connect URL'],
  ['respond 200 -H', /-H needs a value \(K:V\)/, 'usage: respond STATUS'],
  // missing arguments
  ['retry', /^retry: missing MS \(milliseconds, a whole number like 3000\)/, 'usage: retry MS'],
  ['every', /^every: missing DURATION/, 'usage: every DURATION COMMAND…'],
  ['every 1s', /^every: missing COMMAND/, 'usage: every DURATION COMMAND…'],
  ['stop', /^stop: missing JOB/, 'usage: stop JOB|all|script'],
  ['close', /^close: missing CONN/, 'usage: close CONN|all'],
  ['source', /^source: missing FILE/, 'usage: source FILE'],
  ['source ""', /^source: FILE is empty/, 'usage: source FILE'],
  ['send hi --file a.txt', /--file PATH replaces TEXT and --data/, SEND_USAGE],
  ['send --data x --file a.txt', /--file PATH replaces TEXT and --data/, SEND_USAGE],
  ['send --file ""', /--file needs a PATH/, SEND_USAGE],
  ['respond', /^respond: missing STATUS/, 'usage: respond STATUS'],
  ['raw', /^raw: missing MODE \(on or off\)/, 'usage: raw on|off'],
  ['connect', /^connect: missing URL/, 'usage: connect URL'],
  ['history save', /^history: save needs a FILE/, 'usage: history save FILE'],
  ['history load ""', /^history: load needs a FILE/, 'usage: history load FILE'],
  // too many arguments
  ['retry 1 2', /^retry: too many arguments; "2" is extra/, 'usage: retry MS'],
  ['jobs now', /^jobs: takes no arguments; "now" is extra/, 'usage: jobs'],
  ['quit now', /^quit: takes no arguments/, 'usage: quit'],
  ['history save a b', /too many arguments; "b" is extra/, 'usage: history [clear|save FILE|load FILE]'],
  ['history clear all', /clear takes no FILE; "all" is extra/, 'usage: history clear'],
  ['help send retry', /too many arguments; "retry" is extra/, 'usage: help [COMMAND]'],
  ['open a b', /too many arguments/, 'usage: open [PAGE]'],
  // bad values
  ['retry soon', /MS must be a whole number of milliseconds, 0 or more, like 3000; got "soon"/, 'usage: retry MS'],
  ['retry -5', /MS must be a whole number/, 'usage: retry MS'],
  ['send --retry 1.5', /--retry MS must be a whole number/, SEND_USAGE],
  ['send --to me', /--to CONN must be a connection number from conns, like 3 or #3; got "me"/, SEND_USAGE],
  ['send --event ""', /the event NAME is empty/, SEND_USAGE],
  ['send --event "a\\nb"', /an event NAME may not contain CR or LF/, SEND_USAGE],
  ['send --event "a\\rb"', /an event NAME may not contain CR or LF/, SEND_USAGE],
  ['send --event "a\u0000b"', /may not contain the control character U\+0000/, SEND_USAGE],
  ['send --event "a\u001bb"', /may not contain the control character U\+001B/, SEND_USAGE],
  ['send --event x --event y', /--event is given twice; give it once/, SEND_USAGE],
  ['send --json --data "{oops"', /--json: the data is not valid JSON: .*JSON/, SEND_USAGE],
  ['send --json', /--json: the data is not valid JSON: Unexpected end of JSON input/, SEND_USAGE],
  ['comment "a\\nb"', /a comment is one line and may not contain CR or LF/, 'usage: comment [TEXT…]'],
  ['every 5ms send', /5ms is out of range; the interval must be between 10ms and 24h/, 'usage: every DURATION'],
  ['every 25h send', /out of range/, 'usage: every DURATION'],
  [
    'every soon send',
    /"soon" is not a duration; write 500ms, 1s, 1.5s, 2m, 1h or a number of milliseconds/,
    'usage: every',
  ],
  [
    'every 1s quit',
    /every: cannot repeat quit; a job can repeat send, comment, retry/,
    'usage: every DURATION COMMAND…',
  ],
  ['every 1s every 1s send', /cannot repeat every/, 'usage: every'],
  ['every 1s exit', /cannot repeat quit/, 'usage: every'],
  ['every 1s send --help', /cannot repeat help/, 'usage: every'],
  [
    'every 1s sned',
    /^every: the command to repeat is wrong: unknown command "sned" \(did you mean send\?\)/,
    'type help',
  ],
  ['every 1s send --to {n}x', /the command to repeat is wrong: send: --to CONN must be/, SEND_USAGE],
  [
    'every 1s send --json --data "{n"',
    /the command to repeat is wrong: send: --json: the data is not valid JSON/,
    SEND_USAGE,
  ],
  [
    'stop job1',
    /JOB must be a job number from jobs, like 1 or #1, all or script; got "job1"/,
    'usage: stop JOB|all|script',
  ],
  ['stop 0', /JOB must be a job number/, 'usage: stop JOB|all|script'],
  [
    'close everyone',
    /CONN must be a connection number from conns, like 3 or #3, or all; got "everyone"/,
    'usage: close CONN|all',
  ],
  ['respond 700', /STATUS must be an HTTP status from 100 to 599, like 200 or 204; got "700"/, 'or respond reset'],
  ['respond ok', /STATUS must be an HTTP status/, 'or respond reset'],
  ['respond reset --once', /reset takes no flags, but got --once/, 'usage: respond reset'],
  ['respond reset now', /too many arguments/, 'usage: respond'],
  [
    'respond 200 --header nocolon',
    /--header: a header must be written "Name: value" or Name:value/,
    'usage: respond STATUS',
  ],
  ['respond 200 --header "X: a\\nb"', /the value of header X may not contain CR or LF/, 'usage: respond STATUS'],
  ['respond 200 --header "X: a\u0000"', /may not contain the control character U\+0000/, 'usage: respond'],
  ['connect ftp://x', /URL must start with http:\/\/ or https:\/\/, not "ftp:"/, 'usage: connect URL'],
  ['connect "no where"', /URL must be a full http:\/\/ or https:\/\/ address/, 'usage: connect URL'],
  ['connect http://a/ --last-event-id "1\\n2"', /the Last-Event-ID may not contain CR or LF/, 'usage: connect URL'],
  [
    'connect http://a/ --last-event-id "1\u00002"',
    /Last-Event-ID may not contain the control character U\+0000/,
    'usage: connect',
  ],
  ['history wipe', /unknown action "wipe"; use clear, save FILE or load FILE/, 'usage: history'],
  ['history clr', /unknown action "clr" \(did you mean clear\?\)/, 'usage: history'],
  ['history save "a\u0000b"', /a FILE name may not contain NUL/, 'usage: history save FILE'],
  ['raw yes', /MODE must be on or off; got "yes"/, 'usage: raw on|off'],
  ['tour again', /unknown action "again"; use tour, tour next or tour stop/, 'usage: tour [next|stop]'],
  ['open ""', /PAGE is empty/, 'usage: open [PAGE]'],
  // quoting
  ['send "abc', /^unclosed " quote starting at column 6/, 'add a closing "'],
  ["send 'abc", /^unclosed ' quote starting at column 6/, "add a closing '"],
  // blank
  ['   ', /^type a command, or help$/, 'help'],
];

describe('parse errors say what was wrong and the valid form', () => {
  it.each(cases)('%j', (line, wrong, validForm) => {
    const error = errorOf(line);
    expect(error).toMatch(wrong);
    expect(error).toContain(validForm);
    expect(error).not.toMatch(/[\r\n]/);
  });
});

describe('limits', () => {
  it('refuses a line over the limit, saying how long it is', () => {
    const line = `send ${'x'.repeat(MAX_LINE_LENGTH)}`;
    expect(errorOf(line)).toBe(`the line is too long (${line.length} characters); the limit is ${MAX_LINE_LENGTH}`);
  });

  it('accepts a line just under the limit', () => {
    const data = 'x'.repeat(MAX_LINE_LENGTH - 5);
    expect(parseCommandLine(`send ${data}`)).toEqual({
      ok: true,
      command: { name: 'send', data, id: false, json: false },
    });
  });

  it('refuses too many words in parseTokens', () => {
    const result = parseTokens(['send', 'x'.repeat(MAX_LINE_LENGTH)]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^the line is too long/);
  });

  it('cuts a huge word shown in an error', () => {
    const error = errorOf(`retry ${'9x'.repeat(20_000)}`);
    expect(error.length).toBeLessThan(300);
    expect(error).toContain('…');
  });

  it('makes control characters in an echoed word visible', () => {
    const error = errorOf('retry "\u001b[31m\\n"');
    expect(error).toContain('got "\\x1b[31m␊"');
    expect(error).not.toMatch(/[\u0000-\u001f]/);
  });

  it('never throws, even for input that is not text', () => {
    expect(parseCommandLine(undefined as unknown as string)).toEqual({
      ok: false,
      error: 'a command line must be text',
    });
    expect(parseTokens([1] as unknown as string[])).toEqual({ ok: false, error: 'a command must be a list of words' });
  });
});
