import { describe, expect, it } from 'vitest';
import { KEY_BINDINGS_LINE } from '../../../../core/app/commands/index.js';
import type { CommandName } from '../../../../core/app/commands/index.js';
import { consoleLanguage } from '../../../../core/app/console/console-language.js';

const {
  commands: COMMANDS,
  referenceMarkdown: commandReferenceMarkdown,
  helpLines,
  parseCommandLine,
} = consoleLanguage;

describe('helpLines', () => {
  it('lists every command with its summary, then the keys', () => {
    const lines = helpLines();
    for (const spec of COMMANDS) {
      expect(lines.some((line) => line.includes(spec.name) && line.includes(spec.summary))).toBe(true);
    }
    expect(lines.at(-1)).toBe(KEY_BINDINGS_LINE);
    expect(KEY_BINDINGS_LINE).toBe('Keys: ? help · Tab complete · ↑/↓ history · Esc leave help · Ctrl+C quit');
  });

  it('treats a blank topic as no topic', () => {
    expect(helpLines('  ')).toEqual(helpLines());
  });

  it.each(COMMANDS.map((spec) => [spec.name, spec] as const))('explains %s', (_name, spec) => {
    const lines = helpLines(spec.name);
    expect(lines[0]).toBe(`${spec.name} — ${spec.summary}`);
    expect(lines).toContain(`usage: ${spec.usage}`);
    for (const paragraph of spec.explanation) expect(lines).toContain(paragraph);
    for (const flag of spec.flags) expect(lines.some((line) => line.includes(`--${flag.name}`))).toBe(true);
    for (const example of spec.examples) expect(lines).toContain(`  ${example}`);
    for (const sub of spec.subcommands ?? []) expect(lines.some((line) => line.includes(sub.usage))).toBe(true);
  });

  it('finds a command by its alias and names the alias', () => {
    expect(helpLines('exit')[0]).toMatch(/^quit — /);
    expect(helpLines('quit')).toContain('also: exit');
  });

  it('teaches the SSE idea behind send --id and respond 204', () => {
    expect(helpLines('send').join(' ')).toMatch(/Last-Event-ID/);
    expect(helpLines('send').join(' ')).toMatch(/replay/);
    expect(helpLines('respond').join(' ')).toMatch(
      /204 No Content is the polite way to tell a browser to stop reconnecting/,
    );
  });

  it('suggests a command for an unknown topic', () => {
    expect(helpLines('sned')).toEqual([
      'no command called "sned" (did you mean send?); type help to list the commands',
    ]);
    expect(helpLines('zzz')).toEqual(['no command called "zzz"; type help to list the commands']);
  });

  it('keeps every line on one line', () => {
    for (const topic of [undefined, ...COMMANDS.map((spec) => spec.name)]) {
      for (const line of helpLines(topic)) expect(line).not.toMatch(/[\r\n]/);
    }
  });
});

describe('the command table cannot lie', () => {
  it.each(COMMANDS.flatMap((spec) => spec.examples.map((example) => [spec.name, example] as const)))(
    '%s example %j parses',
    (name, example) => {
      const result = parseCommandLine(example);
      expect(result).toMatchObject({ ok: true });
      const parsed = result.ok ? result.command.name : undefined;
      expect(parsed === name || (name === 'respond' && parsed === 'respond-reset')).toBe(true);
    },
  );

  it('has one entry for every command word in the Command union', () => {
    const words: Record<Exclude<CommandName, 'respond-reset'>, true> = {
      send: true,
      comment: true,
      retry: true,
      every: true,
      jobs: true,
      stop: true,
      close: true,
      respond: true,
      conns: true,
      history: true,
      filter: true,
      pause: true,
      resume: true,
      pages: true,
      open: true,
      raw: true,
      clear: true,
      help: true,
      quit: true,
      connect: true,
      disconnect: true,
      replay: true,
      tour: true,
      source: true,
      expect: true,
    };
    expect(COMMANDS.map((spec) => spec.name).sort()).toEqual(Object.keys(words).sort());
  });

  it('gives every command a summary, usage, example and explanation, and unique flags', () => {
    for (const spec of COMMANDS) {
      expect(spec.usage.startsWith(spec.name)).toBe(true);
      expect(spec.summary).not.toMatch(/[\r\n.]$/);
      expect(spec.examples.length).toBeGreaterThan(0);
      expect(spec.explanation.length).toBeGreaterThan(0);
      const names = spec.flags.flatMap((flag) => [`--${flag.name}`, ...(flag.short ? [`-${flag.short}`] : [])]);
      expect(new Set(names).size).toBe(names.length);
      for (const flag of spec.flags) expect(spec.usage).toContain(`--${flag.name}`);
    }
  });
});

describe('commandReferenceMarkdown', () => {
  const markdown = commandReferenceMarkdown();

  it('has one ### section per command, in table order', () => {
    const headings = markdown.split('\n').filter((line) => line.startsWith('### '));
    expect(headings).toEqual(COMMANDS.map((spec) => `### ${spec.name}`));
  });

  it('shows each usage, flag and example', () => {
    for (const spec of COMMANDS) {
      expect(markdown).toContain(spec.usage);
      for (const example of spec.examples) expect(markdown).toContain(`\n${example}\n`);
      for (const flag of spec.flags) expect(markdown).toContain(`| \`--${flag.name}\``);
    }
    expect(markdown).toContain('| Flag | Value | Description |');
    expect(markdown).toContain('| `--data`, `-d` | `TEXT`, repeatable |');
  });

  it('balances its code fences', () => {
    expect(markdown.split('```').length % 2).toBe(1);
  });
});

describe('helpLines at a width (the TUI)', () => {
  const squeeze = (text: string): string => text.replace(/\s+/g, ' ').trim();

  for (const width of [71, 51]) {
    it(`wraps every description to ${width} columns under its own column, cutting none`, () => {
      const lines = helpLines(undefined, width);
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(width);
      const text = squeeze(lines.join(' '));
      for (const spec of COMMANDS) expect(text).toContain(squeeze(`${spec.name} ${spec.summary}`));
      // A description's second row starts under the first row's description.
      const sendAt = lines.findIndex((line) => /^ {2}send +Send one event/.test(line));
      const column = (lines[sendAt] ?? '').indexOf('Send one event');
      expect(lines[sendAt + 1]).toMatch(new RegExp(`^ {${column}}\\S`));
    });

    it(`wraps each command's usage, explanation, flags and examples to ${width} columns`, () => {
      for (const spec of COMMANDS) {
        const lines = helpLines(spec.name, width);
        for (const line of lines) expect(line.length, `${spec.name}: ${line}`).toBeLessThanOrEqual(width);
        const text = squeeze(lines.join(' '));
        for (const paragraph of spec.explanation) expect(text).toContain(squeeze(paragraph));
        for (const example of spec.examples) expect(text).toContain(squeeze(example));
      }
    });
  }

  it('keeps one line per command without a width (line mode, README)', () => {
    expect(helpLines(undefined, undefined)).toEqual(helpLines());
    expect(helpLines().filter((line) => /^ {2}\S/.test(line))).toHaveLength(COMMANDS.length);
  });
});
