import { helpColumns, tokenize } from '../../commands/index.js';
import { wrapText } from '../../text/wrap-text.js';
import { showLine } from '../../../terminal/terminal-text.js';
import { usageOf } from './fault-target.js';
import { PROXY_COMMAND_MODULES } from './list.js';
import type { FaultParse, ProxyCommandModule } from './proxy-module.js';

/** The proxy's own commands (delay, drop, pause, resume): those that parse their own line. */
const faultModules = (): readonly ProxyCommandModule[] => PROXY_COMMAND_MODULES.filter((module) => module.parse);

/** The module that runs a command the console's parser made (`respond-reset` is respond's). */
export function proxyModuleFor(commandName: string): ProxyCommandModule | undefined {
  return PROXY_COMMAND_MODULES.find((module) => (module.runs ?? []).includes(commandName as never));
}

/** The module of a fault command line, or undefined when the line is not one. */
export function faultModuleFor(line: string): ProxyCommandModule | undefined {
  const tokens = tokenize(line);
  if (!tokens.ok) return undefined;
  const name = tokens.tokens[0]?.text;
  return faultModules().find((module) => module.name === name);
}

/** Parses a fault command line; undefined when the line is not one of them. */
export function parseProxyFaultCommand(line: string): FaultParse<{ readonly name: string }> | undefined {
  const module = faultModuleFor(line);
  const tokens = tokenize(line);
  if (module?.parse === undefined || !tokens.ok) return undefined;
  return module.parse(tokens.tokens.map((token) => token.text));
}

/** Every proxy command's name, for "proxy mode has send, close … and quit". */
export function proxyCommandNames(): string {
  const names = PROXY_COMMAND_MODULES.map((module) => module.name);
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

/**
`help` in proxy mode: the proxy's commands, or one command explained. With `width`
(the TUI's overlay) the overview's summaries wrap under their own column.
*/
export function proxyHelpLines(topic: string | undefined, width?: number): string[] {
  const word = (topic ?? '').trim().split(/\s+/)[0] ?? '';
  if (word === '') {
    const heading = 'Proxy mode commands (help COMMAND explains one):';
    const rows = PROXY_COMMAND_MODULES.flatMap((module) => module.overview);
    return [...(width === undefined ? [heading] : wrapText(heading, width)), ...helpColumns(rows, width)];
  }
  const module = PROXY_COMMAND_MODULES.find((entry) => entry.name === word);
  // A console command proxy mode does not run is not explained here: that would offer it.
  if (module === undefined) return [`no command "${showLine(word, 40)}" in proxy mode; it has ${proxyCommandNames()}`];
  const rows = module.overview.map(([usage, summary]) => `  ${usage}  ${summary}`);
  return [`usage: ${usageOf(module.overview)}`, '', ...(module.details ?? []), ...(module.details ? [] : rows)];
}

/** The lines the first screen offers, each one a command proxy mode runs as it stands. */
export function proxyExamples(): string[] {
  return PROXY_COMMAND_MODULES.flatMap((module) => (module.example === undefined ? [] : [module.example]));
}

/** Names of every proxy command, for Tab and `help COMMAND`. */
export function proxyCommandWords(): string[] {
  return PROXY_COMMAND_MODULES.map((module) => module.name);
}

/** The module named `name` (the first word of a line), if proxy mode has one. */
export function proxyModuleNamed(name: string): ProxyCommandModule | undefined {
  return PROXY_COMMAND_MODULES.find((module) => module.name === name);
}
