import { describe, expect, it } from 'vitest';
import {
  checkEventName,
  checkHeaderValue,
  parseConnectionId,
  parseDuration,
  parseHeader,
  parseHttpUrl,
  parseJobId,
  parseMilliseconds,
  parseStatus,
} from '../../../../core/app/commands/index.js';
import type { ValueResult } from '../../../../core/app/commands/index.js';

const valueOf = <T>(result: ValueResult<T>): T | string => (result.ok ? result.value : `error: ${result.error}`);

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['1s', 1000],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['24h', 86_400_000],
    ['250', 250],
    ['10', 10],
    ['10ms', 10],
    ['.5s', 500],
    ['1S', 1000],
    ['0.0125s', 13],
  ])('%s is %i ms', (text, ms) => {
    expect(valueOf(parseDuration(text))).toBe(ms);
  });

  it.each(['9ms', '0', '0s', '24.1h', '25h', '99999999999999999999999h'])('%s is out of range', (text) => {
    expect(valueOf(parseDuration(text))).toMatch(/out of range; the interval must be between 10ms and 24h$/);
  });

  it.each(['', 'abc', '1 s', '1sec', '-1s', '1e3', '1..5s', 's', '1d'])('%j is not a duration', (text) => {
    expect(valueOf(parseDuration(text))).toMatch(
      /is not a duration; write 500ms, 1s, 1.5s, 2m, 1h or a number of milliseconds/,
    );
  });
});

describe('parseMilliseconds', () => {
  it.each([
    ['0', 0],
    ['3000', 3000],
    ['02000', 2000],
    ['2147483647', 2_147_483_647],
  ])('%s is %i', (text, ms) => {
    expect(valueOf(parseMilliseconds(text))).toBe(ms);
  });

  it.each(['-1', '1.5', '1e3', '', ' 1', 'abc', '0x10'])('%j is refused with the valid form', (text) => {
    expect(valueOf(parseMilliseconds(text))).toMatch(
      /MS must be a whole number of milliseconds, 0 or more, like 3000; got /,
    );
  });

  it('refuses values browsers cannot time', () => {
    expect(valueOf(parseMilliseconds('2147483648'))).toMatch(/MS must be at most 2147483647/);
  });
});

describe('connection and job numbers', () => {
  it.each([
    ['3', 3],
    ['#3', 3],
    ['#12', 12],
  ])('connection %s is %i', (text, id) => {
    expect(valueOf(parseConnectionId(text))).toBe(id);
  });

  it.each(['0', '#0', '-1', 'x', '##3', '3.0', '', '99999999999999999999'])('connection %j is refused', (text) => {
    expect(valueOf(parseConnectionId(text))).toMatch(/CONN must be a connection number from conns, like 3 or #3; got/);
  });

  it.each([
    ['1', 1],
    ['#1', 1],
    ['%1', 1],
  ])('job %s is %i', (text, id) => {
    expect(valueOf(parseJobId(text))).toBe(id);
  });

  it('job 0 is refused with the valid form', () => {
    expect(valueOf(parseJobId('0'))).toMatch(/JOB must be a job number from jobs, like 1 or #1; got "0"/);
  });
});

describe('parseStatus', () => {
  it.each([
    ['100', 100],
    ['200', 200],
    ['204', 204],
    ['599', 599],
  ])('%s', (text, status) => {
    expect(valueOf(parseStatus(text))).toBe(status);
  });

  it.each(['99', '600', '099', '2000', 'ok', '', '20x'])('%j is refused', (text) => {
    expect(valueOf(parseStatus(text))).toMatch(/STATUS must be an HTTP status from 100 to 599, like 200 or 204; got/);
  });
});

describe('parseHeader', () => {
  it.each([
    ['X-Token: abc', ['X-Token', 'abc']],
    ['X-Token:abc', ['X-Token', 'abc']],
    ['X-Token:   spaced value \t', ['X-Token', 'spaced value']],
    ['Empty:', ['Empty', '']],
    ['Authorization: Bearer a:b', ['Authorization', 'Bearer a:b']],
    ['X-Tab: a\tb', ['X-Tab', 'a\tb']],
    ['X-Latin: café', ['X-Latin', 'café']],
  ])('%j', (text, header) => {
    expect(valueOf(parseHeader(text))).toEqual(header);
  });

  it.each(['no colon', ': value', 'X Token: a', 'X-Token : a', 'Ünicode: a', 'X(y): a'])(
    '%j has a bad name and gets the valid form',
    (text) => {
      expect(valueOf(parseHeader(text))).toMatch(
        /a header must be written "Name: value" or Name:value, with a name of/,
      );
    },
  );

  it.each([
    ['X: a\rb', /may not contain CR or LF/],
    ['X: a\nb', /may not contain CR or LF/],
    ['X: a\u0000b', /may not contain the control character U\+0000/],
    ['X: a\u001bb', /may not contain the control character U\+001B/],
    ['X: a\u007fb', /may not contain the control character U\+007F/],
    ['X: 😀', /may hold only Latin-1 characters \(HTTP headers cannot carry U\+1F600\)/],
  ])('%j has a bad value', (text, message) => {
    expect(valueOf(parseHeader(text))).toMatch(message);
  });

  it('names the header whose value is wrong', () => {
    expect(valueOf(checkHeaderValue('a\nb', 'the value of header X'))).toMatch(/^error: the value of header X may not/);
  });
});

describe('checkEventName', () => {
  it.each(['tick', 'my-custom-event', 'with space', 'ünïcode 😀', 'tab\there'])('%j is fine', (name) => {
    expect(valueOf(checkEventName(name))).toBe(name);
  });

  it.each([
    ['a\nb', /CR or LF/],
    ['a\rb', /CR or LF/],
    ['a\r\nb', /CR or LF/],
    ['a\u0000b', /control character U\+0000/],
    ['\u0007', /control character U\+0007/],
    ['', /the event NAME is empty; leave out --event/],
  ])('%j is refused', (name, message) => {
    expect(valueOf(checkEventName(name))).toMatch(message);
  });
});

describe('parseHttpUrl', () => {
  it.each([
    ['http://127.0.0.1:8122/events', 'http://127.0.0.1:8122/events'],
    ['https://example.com', 'https://example.com/'],
    ['HTTP://Example.com/a b', 'http://example.com/a%20b'],
    // The scheme may be left out, as on the command line (normalizeUrl, one rule for both).
    ['127.0.0.1:8122', 'http://127.0.0.1:8122/'],
    ['localhost:8122/events', 'http://localhost:8122/events'],
    [':8122/events', 'http://127.0.0.1:8122/events'],
  ])('%s', (text, href) => {
    expect(valueOf(parseHttpUrl(text))).toBe(href);
  });

  it.each([
    ['ftp://example.com', /must start with http:\/\/ or https:\/\/, not "ftp:"/],
    ['not a url', /must be a full http:\/\/ or https:\/\/ address, like http:\/\/127.0.0.1:8122\/events/],
    ['', /must be a full http/],
  ])('%j is refused', (text, message) => {
    expect(valueOf(parseHttpUrl(text))).toMatch(message);
  });
});
