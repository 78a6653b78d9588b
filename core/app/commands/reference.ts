import type { CommandSpec, FlagSpec } from './spec.js';
import type { CommandTable } from './table.js';

/*
The command reference (docs/reference/commands.md), rendered from the same table as `help`, so the
documentation cannot drift from the parser.
*/

const cell = (text: string): string => text.replace(/\|/g, '\\|');

function flagRow(flag: FlagSpec): string {
  const names = [`\`--${flag.name}\``, ...(flag.short === undefined ? [] : [`\`-${flag.short}\``])].join(', ');
  const given = flag.value === undefined ? '' : `\`${flag.value}\``;
  const optional = flag.inlineValue === undefined ? '' : `optional \`=${flag.inlineValue}\``;
  const value = [given, optional, flag.repeatable === true ? 'repeatable' : '']
    .filter((part) => part !== '')
    .join(', ');
  return `| ${names} | ${cell(value || '—')} | ${cell(flag.description)} |`;
}

function section(spec: CommandSpec): string[] {
  const lines = [`### ${spec.name}`, '', spec.summary + '.', '', '```text', spec.usage];
  lines.push(...(spec.subcommands ?? []).map((sub) => sub.usage), '```', '');
  if (spec.aliases !== undefined) lines.push(`Also: ${spec.aliases.map((alias) => `\`${alias}\``).join(', ')}.`, '');
  for (const paragraph of spec.explanation) lines.push(paragraph, '');
  if (spec.subcommands !== undefined) {
    lines.push(...spec.subcommands.map((sub) => `- \`${sub.usage}\`: ${sub.summary}.`), '');
  }
  if (spec.flags.length > 0) {
    lines.push('| Flag | Value | Description |', '|---|---|---|', ...spec.flags.map(flagRow), '');
  }
  // `sse-console` blocks hold console command lines: the docs test parses each one.
  lines.push('Examples:', '', '```sse-console', ...spec.examples, '```', '');
  return lines;
}

/** Every command as Markdown: one `###` section each, with usage, flags and examples. */
export function commandReferenceMarkdown({ commands }: CommandTable): string {
  return commands.flatMap(section).join('\n');
}
