import { describe, expect, it } from 'vitest';
import { humanFormatter } from '../../../../cli/line-output.js';
import { preview, rawLines } from '../../../../core/app/console/format.js';
import { showLine as visible } from '../../../../core/terminal/terminal-text.js';

describe('log text is safe for a terminal', () => {
  it('shows line endings as symbols and every control code as an escape', () => {
    expect(visible('a\r\nb\rc\nd\te')).toBe('a␍␊b␍c␊d␉e');
    expect(visible('\u001b[2J\u009b31m\u0000')).toBe('\\x1b[2J\\x9b31m\\x00');
    expect(visible('x\u2028y\u202ez')).toBe('x\\u{2028}y\\u{202e}z');
  });

  it('cuts previews and shows raw bytes one wire line each', () => {
    expect(preview('x'.repeat(100), 10)).toBe(`${'x'.repeat(10)}… (90 more characters)`);
    expect(rawLines(Buffer.from('id: 1\ndata: a\r\n\n'))).toEqual(['id: 1\\n', 'data: a\\r\\n', '\\n']);
  });

  it('line mode prints no control code a client or a typed line carried', () => {
    const line = humanFormatter(undefined).format({
      seq: 1,
      time: 0,
      kind: 'error',
      text: 'bad \u001b]0;title\u0007 name',
    });
    expect(line).toMatch(/error +bad \\x1b\]0;title\\x07 name$/);
  });
});
