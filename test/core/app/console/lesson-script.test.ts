import { describe, expect, it } from 'vitest';
import { MAX_SCRIPT_LINES, parseLessonScript } from '../../../../core/app/console/lesson-script.js';
import { consoleLanguage } from '../../../../core/app/console/console-language.js';

describe('parseLessonScript', () => {
  it('reads commands, narration, sleep and the two waits, each with its line', () => {
    const text = [
      '# Open the page',
      '',
      'wait connections 2',
      '  send --data "Hello World!" --id  ',
      'sleep 1.5s',
      'wait enter',
      '#',
      'every 1s send --event tick --data "{time}"',
    ].join('\r\n');
    const parsed = parseLessonScript(text, 'lesson.txt', consoleLanguage.parseCommandLine);
    expect(parsed).toEqual({
      ok: true,
      steps: [
        { line: 1, kind: 'narration', text: 'Open the page' },
        { line: 3, kind: 'wait-connections', count: 2, text: 'wait connections 2' },
        { line: 4, kind: 'command', text: 'send --data "Hello World!" --id' },
        { line: 5, kind: 'sleep', ms: 1500, text: 'sleep 1.5s' },
        { line: 6, kind: 'wait-enter', text: 'wait enter' },
        { line: 7, kind: 'narration', text: '' },
        { line: 8, kind: 'command', text: 'every 1s send --event tick --data "{time}"' },
      ],
    });
  });

  it('checks every line first and names the file and line of each mistake', () => {
    const text = [
      'send hi',
      'sned hi',
      'sleep forever',
      'sleep',
      'wait connections 0',
      'wait for it',
      'source other.txt',
      'retry -1',
      'send "unclosed',
    ].join('\n');
    const parsed = parseLessonScript(text, 'my lesson.txt', consoleLanguage.parseCommandLine);
    expect(parsed.ok).toBe(false);
    const errors = parsed.ok ? [] : parsed.errors;
    expect(errors).toHaveLength(8);
    expect(errors[0]).toMatch(/^my lesson\.txt:2: unknown command "sned" \(did you mean send\?\)/);
    expect(errors[1]).toMatch(/^my lesson\.txt:3: sleep: "forever" is not a duration; write 500ms, 1s/);
    expect(errors[2]).toBe('my lesson.txt:4: sleep takes one DURATION, like sleep 2s');
    expect(errors[3]).toMatch(/^my lesson\.txt:5: wait connections N: N must be a whole number from 1 to/);
    expect(errors[4]).toBe(
      'my lesson.txt:6: unknown wait; write `wait connections N` (N from 1), `wait enter` or `wait expectations`',
    );
    expect(errors[5]).toMatch(/^my lesson\.txt:7: a script cannot source another script/);
    expect(errors[6]).toMatch(/^my lesson\.txt:8: retry: /);
    expect(errors[7]).toMatch(/^my lesson\.txt:9: /);
    for (const error of errors) expect(error).not.toMatch(/[\r\n]/);
  });

  it('refuses a script with nothing to run, and one too long to be a lesson', () => {
    expect(parseLessonScript('# only talk\n\n# more talk\n', 'talk.txt', consoleLanguage.parseCommandLine)).toEqual({
      ok: false,
      errors: ['talk.txt: nothing to run; a script holds console commands, one per line'],
    });
    const long = parseLessonScript(
      'send x\n'.repeat(MAX_SCRIPT_LINES + 1),
      'long.txt',
      consoleLanguage.parseCommandLine,
    );
    expect(long).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^long\.txt: \d+ lines; a script holds at most/)],
    });
  });

  it('skips a UTF-8 byte order mark', () => {
    expect(parseLessonScript('\uFEFFsend x', 'bom.txt', consoleLanguage.parseCommandLine)).toEqual({
      ok: true,
      steps: [{ line: 1, kind: 'command', text: 'send x' }],
    });
  });
});
