import { consoleLanguage } from '../../core/app/console/console-language.js';
import { PROXY_COMMAND_MODULES } from '../../core/app/console/proxy-commands/list.js';
import type { ProxyCommandModule } from '../../core/app/console/proxy-commands/proxy-module.js';
import { keyBindings, type KeyBinding } from '../../ui/key-bindings.js';
import { cell, codeBlock, generatedBanner } from './markdown.js';

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to dashes. */
export function headingAnchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

const capitalised = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** The heading of a proxy command's section (its name is also a console command's). */
export const proxyHeading = (name: string): string => `${name} (proxy mode)`;

function keyRows(bindings: readonly KeyBinding[]): string[] {
  return [
    '| Keys | Does |',
    '|---|---|',
    ...bindings.map((binding) => `| ${cell(binding.label)} | ${cell(binding.description)} |`),
    '',
  ];
}

function proxySection(module: ProxyCommandModule): string[] {
  const lines = [
    `### ${proxyHeading(module.name)}`,
    '',
    ...codeBlock(
      'text',
      module.overview.map(([usage]) => usage),
    ),
  ];
  const [only] = module.overview;
  if (module.overview.length === 1 && only !== undefined) lines.push(`${capitalised(only[1])}.`, '');
  else lines.push(...module.overview.map(([usage, summary]) => `- \`${usage}\`: ${summary}.`), '');
  for (const paragraph of module.details ?? []) lines.push(paragraph, '');
  const runs = (module.runs ?? []).filter((name) => consoleLanguage.commands.some((spec) => spec.name === name));
  if (runs.length > 0) {
    const links = runs.map((name) => `[\`${name}\`](#${headingAnchor(name)})`).join(', ');
    lines.push(`Parsed as the console's ${links}: the same words and flags.`, '');
  }
  if (module.refusedFlags !== undefined) {
    lines.push(`Refused in proxy mode: ${module.refusedFlags.map((flag) => `\`${flag}\``).join(', ')}.`, '');
  }
  if (module.example !== undefined) lines.push('Example:', '', ...codeBlock('sse-console-proxy', [module.example]));
  return lines;
}

/** docs/reference/commands.md: every console command, the keys, and proxy mode's commands. */
export function commandsPage(): string {
  const { commands } = consoleLanguage;
  const lines = [
    generatedBanner(
      'the command modules (core/app/console/commands/, core/app/console/proxy-commands/) and ui/key-bindings.ts',
    ),
    '',
    '# Console commands',
    '',
    'Every command typed at the console prompt, from the same table the parser, `help` and Tab completion read: `help COMMAND` (or `COMMAND --help`) in the console prints the same text. The options of the `sse-console` binary itself are in [cli.md](cli.md).',
    '',
    '- [Commands](#commands)',
    '- [Keys](#keys)',
    '- [Proxy mode](#proxy-mode)',
    '',
    '## Commands',
    '',
    '| Command | What it does |',
    '|---|---|',
    ...commands.map((spec) => `| [\`${spec.name}\`](#${headingAnchor(spec.name)}) | ${cell(spec.summary)} |`),
    '',
    consoleLanguage.referenceMarkdown().trimEnd(),
    '',
    '## Keys',
    '',
    'In the full-screen console (not in line mode, `--no-tui`).',
    '',
    '### At the prompt',
    '',
    ...keyRows(keyBindings.filter((binding) => binding.mode !== 'help')),
    '### In the help overlay',
    '',
    ...keyRows(keyBindings.filter((binding) => binding.mode !== 'prompt')),
    '## Proxy mode',
    '',
    "`sse-console proxy URL` has its own commands: the console's `send` injects an event between the app's, and the fault commands (`delay`, `drop`, `pause`, `resume`) break the proxied streams on purpose. A console command not listed here is refused in proxy mode.",
    '',
    '| Command | What it does |',
    '|---|---|',
    ...PROXY_COMMAND_MODULES.flatMap((module) =>
      module.overview.map(
        ([usage, summary]) =>
          `| [\`${cell(usage)}\`](#${headingAnchor(proxyHeading(module.name))}) | ${cell(summary)} |`,
      ),
    ),
    '',
    ...PROXY_COMMAND_MODULES.flatMap(proxySection),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
