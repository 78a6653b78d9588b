import { wrapHanging, wrapText } from '../text/wrap-text.js';
import { shown } from './messages.js';
import type { CommandSpec, FlagSpec } from './spec.js';
import { closestWord } from './suggest.js';
import type { CommandTable } from './table.js';

/** The keys the TUI answers to, for the help overview. */
export const KEY_BINDINGS_LINE = 'Keys: ? help · Tab complete · ↑/↓ history · Esc leave help · Ctrl+C quit';

function flagSignature(flag: FlagSpec): string {
  const bare = flag.inlineValue === undefined ? `--${flag.name}` : `--${flag.name}[=${flag.inlineValue}]`;
  const long = flag.value === undefined ? bare : `--${flag.name} ${flag.value}`;
  return flag.short === undefined ? `    ${long}` : `-${flag.short}, ${long}`;
}

/** Narrowest description column beside the names; narrower, descriptions go under their name. */
const narrowestDescription = 24;

/**
Names and descriptions in two columns. Given a `width`, a description too long for
its row wraps under itself (a hanging indent), so no row is wider than `width`;
without one (line mode) each is one row.
*/
export function helpColumns(rows: readonly (readonly [string, string])[], width: number | undefined): string[] {
  const nameWidth = Math.max(...rows.map(([left]) => left.length));
  if (width === undefined) return rows.map(([left, right]) => `  ${left.padEnd(nameWidth)}  ${right}`);
  if (width - (nameWidth + 4) < narrowestDescription) {
    return rows.flatMap(([left, right]) => [`  ${left}`, ...wrapHanging('      ', right, width)]);
  }
  return rows.flatMap(([left, right]) => wrapHanging(`  ${left.padEnd(nameWidth)}  `, right, width));
}

/** A paragraph as one row, or in rows of `width` columns. */
function paragraph(text: string, width: number | undefined): string[] {
  return width === undefined ? [text] : wrapText(text, width);
}

/** Every command with its summary, without the key line (the TUI's overlay shows its own key table). */
export function commandOverviewLines(table: CommandTable, width?: number): string[] {
  return [
    ...paragraph('Commands (help COMMAND, or COMMAND --help, explains one):', width),
    ...helpColumns(
      table.commands.map((spec) => [spec.name, spec.summary]),
      width,
    ),
  ];
}

function overview(table: CommandTable, width: number | undefined): string[] {
  return [...commandOverviewLines(table, width), '', ...paragraph(KEY_BINDINGS_LINE, width)];
}

function flagDescription(flag: FlagSpec): string {
  return flag.repeatable === true ? `${flag.description} (repeatable)` : flag.description;
}

function details(spec: CommandSpec, width: number | undefined): string[] {
  const aliases = spec.aliases === undefined ? [] : [`also: ${spec.aliases.join(', ')}`];
  const usage = width === undefined ? [`usage: ${spec.usage}`] : wrapHanging('usage: ', spec.usage, width);
  const lines = [...paragraph(`${spec.name} — ${spec.summary}`, width), ...usage, ...aliases, ''];
  lines.push(
    ...spec.explanation.flatMap((text, index) =>
      index === 0 ? paragraph(text, width) : ['', ...paragraph(text, width)],
    ),
  );
  if (spec.subcommands !== undefined) {
    lines.push(
      '',
      'subcommands:',
      ...helpColumns(
        spec.subcommands.map((sub) => [sub.usage, sub.summary]),
        width,
      ),
    );
  }
  if (spec.flags.length > 0) {
    lines.push(
      '',
      'flags:',
      ...helpColumns(
        spec.flags.map((flag) => [flagSignature(flag), flagDescription(flag)]),
        width,
      ),
    );
  }
  lines.push(
    '',
    'examples:',
    ...spec.examples.flatMap((example) =>
      width === undefined
        ? [`  ${example}`]
        : // A wrapped example's rows go deeper than the next example's start.
          wrapText(example, width - 4).map((row, index) => `${index === 0 ? '  ' : '    '}${row}`),
    ),
  );
  return lines;
}

/**
Help text as lines: the overview of every command and the keys when `topic` is
absent, else one command's usage, explanation, flags and examples. With `width`
(display columns) descriptions and paragraphs wrap to it, under their own column;
without, each is one line (line mode, the README).
*/
export function helpLines(table: CommandTable, topic?: string, width?: number): string[] {
  const word = (topic ?? '').trim().split(/\s+/)[0] ?? '';
  if (word === '') return overview(table, width);
  const spec = table.findCommand(word);
  if (spec !== undefined) return details(spec, width);
  const guess = closestWord(word, table.commandWords());
  const hint = guess === undefined ? '' : ` (did you mean ${guess}?)`;
  return [`no command called ${shown(word)}${hint}; type help to list the commands`];
}
