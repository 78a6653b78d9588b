import { shown } from './messages.js';
import type { CommandSpec, FlagSpec } from './spec.js';
import { closestWord } from './suggest.js';
import { COMMANDS, commandWords, findCommand } from './table.js';

/** The keys the TUI answers to, for the help overview. */
export const KEY_BINDINGS_LINE = 'Keys: ? help · Tab complete · ↑/↓ history · Esc leave help · Ctrl+C quit';

function flagSignature(flag: FlagSpec): string {
  const bare = flag.inlineValue === undefined ? `--${flag.name}` : `--${flag.name}[=${flag.inlineValue}]`;
  const long = flag.value === undefined ? bare : `--${flag.name} ${flag.value}`;
  return flag.short === undefined ? `    ${long}` : `-${flag.short}, ${long}`;
}

function columns(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

function overview(): string[] {
  return [
    'Commands (help COMMAND, or COMMAND --help, explains one):',
    ...columns(COMMANDS.map((spec) => [spec.name, spec.summary])),
    '',
    KEY_BINDINGS_LINE,
  ];
}

function flagDescription(flag: FlagSpec): string {
  return flag.repeatable === true ? `${flag.description} (repeatable)` : flag.description;
}

function details(spec: CommandSpec): string[] {
  const aliases = spec.aliases === undefined ? [] : [`also: ${spec.aliases.join(', ')}`];
  const lines = [`${spec.name} — ${spec.summary}`, `usage: ${spec.usage}`, ...aliases, ''];
  lines.push(...spec.explanation.flatMap((paragraph, index) => (index === 0 ? [paragraph] : ['', paragraph])));
  if (spec.subcommands !== undefined) {
    lines.push('', 'subcommands:', ...columns(spec.subcommands.map((sub) => [sub.usage, sub.summary])));
  }
  if (spec.flags.length > 0) {
    lines.push('', 'flags:', ...columns(spec.flags.map((flag) => [flagSignature(flag), flagDescription(flag)])));
  }
  lines.push('', 'examples:', ...spec.examples.map((example) => `  ${example}`));
  return lines;
}

/**
Help text as lines: the overview of every command and the keys when `topic` is
absent, else one command's usage, explanation, flags and examples.
*/
export function helpLines(topic?: string): string[] {
  const word = (topic ?? '').trim().split(/\s+/)[0] ?? '';
  if (word === '') return overview();
  const spec = findCommand(word);
  if (spec !== undefined) return details(spec);
  const guess = closestWord(word, commandWords());
  const hint = guess === undefined ? '' : ` (did you mean ${guess}?)`;
  return [`no command called ${shown(word)}${hint}; type help to list the commands`];
}
