import { consoleOptions } from '../../cli/args.js';
import { connectOptions } from '../../cli/connect-args.js';
import { CONNECT_HELP } from '../../cli/connect-help.js';
import { benchOptions } from '../../cli/bench-args.js';
import { BENCH_HELP } from '../../cli/bench-help.js';
import { doctorOptions } from '../../cli/doctor-args.js';
import { DOCTOR_HELP } from '../../cli/doctor-help.js';
import { consoleHelp } from '../../cli/help-text.js';
import { proxyOptions } from '../../cli/proxy-args.js';
import { proxyHelp } from '../../cli/proxy-help.js';
import { readHelpText, type HelpBlock, type HelpOption } from './help-text.js';
import { cell, codeBlock, generatedBanner } from './markdown.js';

/** What the option tables of parseArgs say about one option. */
interface ParsedOption {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
}

/** One way to run the binary: its `--help` text and the options its parser takes. */
export interface CliCommand {
  /** How it is typed: `sse-console`, `sse-console connect`. */
  readonly command: string;
  readonly help: string;
  /** The table parseArgs reads (cli/args.ts, cli/connect-args.ts, cli/proxy-args.ts). */
  readonly options: Readonly<Record<string, ParsedOption>>;
  /** Options the parser takes that no one types (`--open PAGE` becomes `--open-page PAGE`). */
  readonly internal: readonly string[];
}

/** Stands for the package version in the help texts, so a release does not make the page stale. */
const VERSION = 'VERSION';

export const CLI_COMMANDS: readonly CliCommand[] = [
  { command: 'sse-console', help: consoleHelp(VERSION), options: consoleOptions, internal: ['open-page'] },
  { command: 'sse-console connect', help: CONNECT_HELP, options: connectOptions, internal: [] },
  { command: 'sse-console proxy', help: proxyHelp(VERSION), options: proxyOptions, internal: [] },
  { command: 'sse-console doctor', help: DOCTOR_HELP, options: doctorOptions, internal: [] },
  { command: 'sse-console bench', help: BENCH_HELP, options: benchOptions, internal: [] },
];

function optionRow(option: HelpOption): string {
  const names = [...(option.short === undefined ? [] : [`-${option.short}`]), ...option.names];
  const value = option.value === undefined ? '—' : `\`${option.value}\``;
  return `| ${names.map((name) => `\`${name}\``).join(', ')} | ${cell(value)} | ${cell(option.description)} |`;
}

/** The common indentation of a run of lines, taken off. */
function dedent(lines: readonly string[]): string[] {
  const indent = Math.min(
    ...lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0),
  );
  return lines.map((line) => line.slice(indent));
}

function blockMarkdown(block: HelpBlock, command: string): string[] {
  switch (block.kind) {
    case 'prose': {
      const title = `${command.split(' ')[0] ?? ''} ${VERSION} — `;
      if (block.text.startsWith(title)) {
        const description = block.text.slice(title.length);
        return [`${description.charAt(0).toUpperCase()}${description.slice(1)}.`, ''];
      }
      const usage = /^Usage: (.*)$/.exec(block.text);
      return [usage === null ? block.text : `Usage: \`${usage[1] ?? ''}\``, ''];
    }
    case 'lines': {
      // Examples are command lines as typed: `sh`, so the docs test checks their flags.
      const language = /^Examples?$/.test(block.heading ?? '') ? 'sh' : 'text';
      const heading = block.heading === undefined ? [] : [`### ${block.heading}`, ''];
      return [...heading, ...codeBlock(language, dedent(block.lines))];
    }
    case 'options':
      return [
        `### ${block.heading}`,
        '',
        '| Option | Value | Description |',
        '|---|---|---|',
        ...block.options.map(optionRow),
        '',
      ];
  }
}

/** docs/reference/cli.md: every option of the three commands, from their `--help` texts. */
export function cliPage(): string {
  const lines = [
    generatedBanner(
      'cli/help-text.ts, cli/connect-help.ts, cli/proxy-help.ts, cli/doctor-help.ts and cli/bench-help.ts (the `--help` texts)',
    ),
    '',
    '# Command line',
    '',
    'Every option of the `sse-console` binary, rendered from the text each command prints for `--help`, so this page and `--help` say the same. For the commands typed at the console prompt, see [commands.md](commands.md).',
    '',
    ...CLI_COMMANDS.map(({ command }) => `- [\`${command}\`](#${command.replace(/ /g, '-')})`),
    '',
  ];
  for (const { command, help } of CLI_COMMANDS) {
    lines.push(`## ${command}`, '', ...readHelpText(help).flatMap((block) => blockMarkdown(block, command)));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
