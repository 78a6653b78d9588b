import { describe, expect, it } from 'vitest';
import { parseProxyFaultCommand } from '../../../../core/app/console/proxy-commands/proxy-table.js';

describe('proxy fault commands', () => {
  it.each([
    ['delay 2s', { name: 'delay', ms: 2000, target: 'all' }],
    ['delay 500ms 3', { name: 'delay', ms: 500, target: 3 }],
    ['delay 0 all', { name: 'delay', ms: 0, target: 'all' }],
    ['drop 2 #4', { name: 'drop', count: 2, target: 4 }],
    ['drop 1', { name: 'drop', count: 1, target: 'all' }],
    ['pause all', { name: 'pause', target: 'all' }],
    ['resume 2', { name: 'resume', target: 2 }],
    ['buffer 4096', { name: 'buffer', value: 4096 }],
    ['buffer off', { name: 'buffer', value: 0 }],
    ['idle-cut 5s', { name: 'idle-cut', value: 5000 }],
    ['idle-cut off', { name: 'idle-cut', value: 0 }],
    ['limit 2', { name: 'limit', value: 2 }],
    ['limit off', { name: 'limit', value: 0 }],
    ['gzip', { name: 'gzip', on: true }],
    ['gzip off', { name: 'gzip', on: false }],
    ['rechunk utf8', { name: 'rechunk', mode: 'utf8' }],
    ['rechunk off', { name: 'rechunk', mode: 'off' }],
  ])('%s', (line, command) => {
    expect(parseProxyFaultCommand(line)).toEqual({ ok: true, command });
  });

  it.each([
    ['delay', /missing DURATION; usage: delay DURATION \[CONN\|all\]/],
    ['delay soon', /usage: delay/],
    ['drop 0', /N must be a whole number from 1/],
    ['drop 2 x', /CONN must be a connection number/],
    ['pause', /say which stream/],
    ['resume 1 2', /unexpected "2"/],
    ['buffer', /buffer: missing a value or off; usage: buffer BYTES\|off/],
    ['buffer lots', /BYTES must be a whole number from 1 to 1048576 \(or off\), got "lots"/],
    ['buffer 4096 2', /unexpected "2"/],
    ['idle-cut soon', /idle-cut: "soon" is not a duration.*usage: idle-cut DURATION\|off/],
    ['limit -1', /N must be a whole number from 1 to 1000/],
    ['rechunk words', /rechunk: no mode "words"; usage: rechunk utf8\|crlf\|bytes\|off/],
    ['gzip fast', /gzip: say nothing \(on\) or off, got "fast"/],
  ])('%s is refused with one line that says what is valid', (line, message) => {
    const result = parseProxyFaultCommand(line);
    expect(result?.ok).toBe(false);
    expect(result?.ok === false && result.error).toMatch(message);
    expect(result?.ok === false && result.error).not.toContain('\n');
  });

  it.each(['gzip', 'rechunk', 'buffer', 'drop 1 2', 'delay 1s 2'])(
    '%s: a hostile word is quoted cut and visible, as every console error quotes it',
    (command) => {
      const word = `\u001b[2J${'x'.repeat(5000)}\u202e`;
      const result = parseProxyFaultCommand(`${command} "${word}"`);
      const error = result?.ok === false ? result.error : '';
      expect(error).toMatch(/\\x1b\[2J/);
      expect(error).not.toMatch(/[\u001b\u202e]/);
      expect(error.length).toBeLessThan(400);
    },
  );

  it('leaves other lines to the console parser', () => {
    expect(parseProxyFaultCommand('send hi')).toBeUndefined();
    expect(parseProxyFaultCommand('"unclosed')).toBeUndefined();
  });
});
