import { describe, expect, it } from 'vitest';
import { consoleLanguage } from '../../../../core/app/console/console-language.js';

const { commands: COMMANDS, notRepeatable: NOT_REPEATABLE, commandWords, complete } = consoleLanguage;

const pages = ['textarea', 'clock', 'toggles', 'custom-event'];
const at = (line: string) => complete(line, line.length, pages);

describe('complete', () => {
  it('offers every command word on an empty line', () => {
    expect(at('')).toEqual({ from: 0, candidates: [...commandWords()].sort() });
  });

  it.each([
    ['s', 0, ['send', 'source', 'stop']],
    ['se', 0, ['send']],
    ['  hi', 2, ['history']],
    ['co', 0, ['comment', 'connect', 'conns']],
    ['ex', 0, ['exit', 'expect']],
    ['zz', 0, []],
    ['send -', 5, ['--channel', '--data', '--event', '--file', '--help', '--id', '--json', '--retry', '--to']],
    ['send --e', 5, ['--event']],
    ['send --id --data x -', 19, ['--channel', '--data', '--event', '--file', '--help', '--json', '--retry', '--to']],
    ['respond 200 -', 12, ['--header', '--help', '--once']],
    ['connect http://a/ --l', 18, ['--last-event-id']],
    ['jobs -', 5, ['--help']],
    ['history ', 8, ['clear', 'load', 'save']],
    ['history s', 8, ['save']],
    ['history save ', 13, []],
    ['raw ', 4, ['off', 'on']],
    ['raw o', 4, ['off', 'on']],
    ['tour ', 5, ['next', 'stop']],
    ['stop ', 5, ['all', 'script']],
    ['close a', 6, ['all']],
    ['respond ', 8, ['200', '204', '301', '307', '401', '403', '404', '500', '503', 'reset']],
    ['respond 5', 8, ['500', '503']],
    ['help re', 5, ['replay', 'respond', 'resume', 'retry']],
    ['help ', 5, [...commandWords()].sort()],
    ['open ', 5, ['clock', 'custom-event', 'textarea', 'toggles']],
    ['open c', 5, ['clock', 'custom-event']],
    ['send --event ', 13, []],
    ['send --data "a b" ', 18, []],
    ['send -- -', 8, []],
    ['every ', 6, ['1m', '1s', '500ms', '5s']],
    ['every 1s se', 9, ['send']],
    ['every 1s send --e', 14, ['--event']],
    ['every 1s history ', 17, ['clear', 'load', 'save']],
    ['unknown ', 8, []],
    ['help "se', 5, ['send']],
    ['expect ', 7, ['connections', 'event', 'reconnect']],
    ['expect re', 7, ['reconnect']],
    ['expect event --d', 13, ['--data']],
    ['expect reconnect --l', 17, ['--last-event-id']],
  ])('%j → from %i, %j', (line, from, candidates) => {
    expect(at(line)).toEqual({ from, candidates });
  });

  it('offers only commands a job may repeat after every DURATION', () => {
    const { candidates } = at('every 1s ');
    const repeatable = COMMANDS.map((spec) => spec.name).filter((name) => !NOT_REPEATABLE.includes(name));
    expect(candidates).toEqual([...repeatable].sort());
    expect(candidates).not.toContain('quit');
  });

  it('completes the word before the cursor, not the end of the line', () => {
    expect(complete('se --data x', 2)).toEqual({ from: 0, candidates: ['send'] });
    expect(complete('history  x', 8)).toEqual({ from: 8, candidates: ['clear', 'load', 'save'] });
  });

  it('offers no page names when none are given', () => {
    expect(complete('open ')).toEqual({ from: 5, candidates: [] });
  });

  it('quotes a candidate that needs it', () => {
    expect(complete('open m', 6, ['my page'])).toEqual({ from: 5, candidates: ['"my page"'] });
  });

  it('tolerates any cursor', () => {
    expect(complete('send', -3)).toEqual({ from: 0, candidates: [...commandWords()].sort() });
    expect(complete('se', 99)).toEqual({ from: 0, candidates: ['send'] });
    expect(complete('se', Number.NaN)).toEqual({ from: 0, candidates: ['send'] });
  });
});
