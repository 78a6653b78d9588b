import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_LINE_LENGTH, tokenize } from '../../../../core/app/commands/index.js';
import type { ParseResult } from '../../../../core/app/commands/index.js';
import { consoleLanguage } from '../../../../core/app/console/console-language.js';

const { commands: COMMANDS, complete, helpLines, parseCommandLine, parseTokens } = consoleLanguage;

/** What every parse result must be, whatever the input. */
function expectWellFormed(result: ParseResult): void {
  if (!result.ok) {
    expect(typeof result.error).toBe('string');
    expect(result.error.length).toBeGreaterThan(0);
    expect(result.error).not.toMatch(/[\r\n]/);
    return;
  }
  const { command } = result;
  if (command.name === 'send' && command.event !== undefined) {
    expect(command.event).not.toMatch(/[\r\n\u0000]/);
  }
  if (command.name === 'respond' || command.name === 'connect') {
    for (const [name, value] of command.headers) expect(`${name}${value}`).not.toMatch(/[\r\n\u0000]/);
  }
  if (command.name === 'connect' && command.lastEventId !== undefined) {
    expect(command.lastEventId).not.toMatch(/[\r\n\u0000]/);
  }
  if (command.name === 'comment') expect(command.text).not.toMatch(/[\r\n]/);
}

const commandWord = fc.constantFrom(...COMMANDS.map((spec) => spec.name), 'exit', 'every 1s send');
const flagWord = fc.constantFrom(
  ...COMMANDS.flatMap((spec) => spec.flags.flatMap((flag) => [`--${flag.name}`, `-${flag.short ?? 'x'}`])),
  '--',
  '--id=yes',
  '--help',
);
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom('"', "'", '\\', ' ', '\n', '\r', '\u0000', '\t', 'a', '{', '}', '#', '-', ':'),
    maxLength: 30,
  }),
);
/** Plausible lines: a command word, then flags, values and junk, some quoted. */
const commandLine = fc
  .tuple(
    commandWord,
    fc.array(
      fc.oneof(
        flagWord,
        anyText,
        anyText.map((text) => JSON.stringify(text)),
      ),
      { maxLength: 8 },
    ),
  )
  .map(([word, rest]) => [word, ...rest].join(' '));

describe('parseCommandLine never throws and never lets CR/LF/NUL into a field', () => {
  it('random full-unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (line) => expectWellFormed(parseCommandLine(line))),
      {
        numRuns: 1000,
      },
    );
  });

  it('plausible command lines with quotes, escapes and control characters', () => {
    fc.assert(
      fc.property(commandLine, (line) => expectWellFormed(parseCommandLine(line))),
      { numRuns: 3000 },
    );
  });

  it('send with any event name, quoted any way', () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (name, single) => {
        const quoted = single ? `'${name}'` : JSON.stringify(name);
        expectWellFormed(parseCommandLine(`send --event ${quoted} --data x`));
        expectWellFormed(parseTokens(['send', '--event', name]));
        expectWellFormed(parseTokens(['send', `--event=${name}`]));
      }),
      { numRuns: 1000 },
    );
  });

  it('any word lists through parseTokens', () => {
    fc.assert(
      fc.property(fc.array(anyText, { maxLength: 8 }), commandWord, (words, first) => {
        expectWellFormed(parseTokens(words));
        expectWellFormed(parseTokens([...first.split(' '), ...words]));
      }),
      { numRuns: 1000 },
    );
  });

  it('unbalanced quotes report a column inside the line', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.constantFrom('"', "'"), (text, quote) => {
        const line = `send ${quote}${text.replace(/["'\\]/g, '')}`;
        const result = parseCommandLine(line);
        expect(result).toEqual({ ok: false, error: expect.stringMatching(/^unclosed . quote starting at column 6: /) });
      }),
      { numRuns: 300 },
    );
  });

  it('huge arguments, under and over the limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MAX_LINE_LENGTH - 64, max: MAX_LINE_LENGTH + 64 }),
        fc.constantFrom('x', '"', '\\', ' ', '\u0000', '😀', '\n'),
        commandWord,
        (size, unit, word) => {
          const line = `${word} ${unit.repeat(Math.floor(size / unit.length))}`;
          const result = parseCommandLine(line);
          expectWellFormed(result);
          if (line.length > MAX_LINE_LENGTH)
            expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/too long/) });
          if (!result.ok) expect(result.error.length).toBeLessThan(1000);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('the other entry points never throw either', () => {
  it('tokenize, complete and helpLines on any input', () => {
    fc.assert(
      fc.property(
        fc.oneof(commandLine, fc.string({ unit: 'binary', maxLength: 100 })),
        fc.integer({ min: -5, max: 300 }),
        (line, cursor) => {
          const tokens = tokenize(line);
          expect(tokens.ok || !/[\r\n]/.test(tokens.error)).toBe(true);
          const completion = complete(line, cursor, ['clock']);
          expect(completion.from).toBeGreaterThanOrEqual(0);
          expect(completion.from).toBeLessThanOrEqual(line.length);
          for (const helpLine of helpLines(line)) expect(helpLine).not.toMatch(/[\r\n]/);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
