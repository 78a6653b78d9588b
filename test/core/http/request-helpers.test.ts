import { describe, expect, it } from 'vitest';
import { printable } from '../../../core/http/printable.js';
import { displayPath, parseTarget } from '../../../core/http/request-target.js';

describe('printable', () => {
  it('escapes control characters and bidi overrides, and cuts long text', () => {
    expect(printable('a\u001b[2Jb\u009b\u202ec\n')).toBe('a\\x1b[2Jb\\x9b\\u{202e}c\u240a');
    expect(printable('x'.repeat(10), 4)).toBe('xxxx… (6 more characters)');
    expect(printable('plain text / ok')).toBe('plain text / ok');
  });
});

describe('parseTarget', () => {
  it.each([
    ['/events?lastEventId=3', '/events', '3'],
    ['/', '/', null],
    ['//events?lastEventId=3', '//events', '3'],
    ['http://127.0.0.1:8122/events?lastEventId=3', '/events', '3'],
    ['/?lastEventId=%ZZ', '/', '%ZZ'],
  ])('%s', (raw, pathname, cursor) => {
    const target = parseTarget(raw);
    expect(target.pathname).toBe(pathname);
    expect(target.query.get('lastEventId')).toBe(cursor);
  });

  it('redacts the token for display only', () => {
    expect(displayPath(parseTarget('/events?token=abc&lastEventId=2'))).toBe('/events?token=***&lastEventId=2');
    expect(displayPath(parseTarget('/events?a=%20b'))).toBe('/events?a=%20b');
    expect(parseTarget('/events?token=abc').query.get('token')).toBe('abc');
  });
});
