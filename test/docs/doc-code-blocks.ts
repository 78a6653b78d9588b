import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseConsoleArgs } from '../../cli/args.js';
import { parseConnectArgs } from '../../cli/connect-args.js';
import { parseProxyArgs } from '../../cli/proxy-args.js';
import { parseDoctorArgs } from '../../cli/doctor-args.js';
import { parseBenchArgs } from '../../cli/bench-args.js';
import { tokenize } from '../../core/app/commands/index.js';
import { consoleLanguage } from '../../core/app/console/console-language.js';
import { faultModuleFor, proxyModuleFor } from '../../core/app/console/proxy-commands/proxy-table.js';
import { PAGES } from '../../core/app/pages/page-list.js';

/*
What the docs' code blocks may show, and how the docs test reads them:

1. Shell blocks (```sh, ```shell, ```bash, ```console): each line (one ending in `\`
   goes on on the next), after an optional
   `$ ` prompt and leading `NAME=value` words, is split at `&&`, `||`, `;` and `|`;
   a part that runs the binary (`sse-console …`, `npx [-y|--yes] sse-console …`,
   `npm exec … -- sse-console …`, `npm start -- …`, `node dist/bin/sse-console.js …`)
   must parse with the binary's own argument parser (cli/args.ts, connect-args.ts,
   proxy-args.ts): a flag that does not exist, or a value it refuses, fails.
   Write real values there (`--port 8080`, not `--port N`); usage lines with
   placeholders go in ```text blocks.
2. In any block, a line starting with `> ` or `› ` (the console's prompt) is a line
   typed at the console prompt and must parse as a console command; one starting
   with `proxy> ` or `proxy› ` is typed in proxy mode and must be a proxy command.
3. A ```sse-console block holds console command lines only (blank lines and `#`
   comments aside); a ```sse-console-proxy block, proxy command lines.

Other blocks (```text, ```js, ```json …) are not read.
*/

export interface CodeBlock {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly language: string;
  readonly lines: readonly string[];
}

/** A line of a doc that does not hold: where it is and what is wrong. */
export interface DocProblem {
  readonly where: string;
  readonly text: string;
  readonly problem: string;
}

/** The fenced code blocks of a Markdown text (``` or ~~~, indented or not). */
export function fencedBlocks(file: string, markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[index] ?? '');
    if (open === null) continue;
    const [, indent = '', fence = '', language = ''] = open;
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && !new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`).test(lines[end] ?? '')) {
      body.push((lines[end] ?? '').replace(new RegExp(`^ {0,${indent.length}}`), ''));
      end += 1;
    }
    blocks.push({ file, line: index + 1, language: language.toLowerCase(), lines: body });
    index = end;
  }
  return blocks;
}

/** Shell words of a command line, quotes removed; an operator (`&&`, `|`, `;`, `>` …) is a word of its own. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i] ?? '';
    if (char === "'" || char === '"') {
      const close = line.indexOf(char, i + 1);
      const end = close === -1 ? line.length : close;
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (char === '\\' && i + 1 < line.length) {
      word = (word ?? '') + (line[i + 1] ?? '');
      i += 1;
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === '#' && word === undefined) {
      break; // a comment
    } else if (/[|&;<>]/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      const operator = /^(\|\||&&|>>|[|&;<>])/.exec(line.slice(i))?.[0] ?? char;
      words.push(operator);
      i += operator.length - 1;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

const operators = new Set(['&&', '||', ';', '|', '&']);
const redirections = new Set(['>', '>>', '<']);

/** The arguments after the binary's name, when a command (operators already split off) runs it. */
export function binaryArguments(words: readonly string[]): string[] | undefined {
  let rest = [...words];
  while (rest[0] !== undefined && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[0])) rest = rest.slice(1);
  // Anything after a redirection is a file name, not an argument.
  const redirect = rest.findIndex((word) => redirections.has(word));
  if (redirect !== -1) rest = rest.slice(0, redirect);
  const isBinary = (word: string | undefined): boolean =>
    word !== undefined && (/^sse-console(@\S+)?$/.test(word) || /(^|\/)bin\/sse-console\.js$/.test(word));
  if (isBinary(rest[0])) return rest.slice(1);
  if (rest[0] === 'node' && isBinary(rest[1])) return rest.slice(2);
  if (rest[0] === 'npx') {
    const at = rest.findIndex((word, index) => index > 0 && !word.startsWith('-'));
    return isBinary(rest[at]) ? rest.slice(at + 1) : undefined;
  }
  if (rest[0] === 'npm' && rest[1] === 'exec') {
    const dashes = rest.indexOf('--');
    return dashes !== -1 && isBinary(rest[dashes + 1]) ? rest.slice(dashes + 2) : undefined;
  }
  if (rest[0] === 'npm' && rest[1] === 'start') {
    return rest[2] === '--' ? rest.slice(3) : [];
  }
  return undefined;
}

const pageNames = ['index', ...PAGES.map((page) => page.name)];

/** What the binary's parser says about these arguments: undefined when it takes them. */
function binaryArgumentsProblem(args: readonly string[]): string | undefined {
  if (args[0] === 'connect') {
    const parsed = parseConnectArgs(args.slice(1));
    return parsed.kind === 'error' ? parsed.message : undefined;
  }
  if (args[0] === 'bench') {
    const parsed = parseBenchArgs(args.slice(1));
    return parsed.kind === 'error' ? parsed.message : undefined;
  }
  if (args[0] === 'doctor') {
    const parsed = parseDoctorArgs(args.slice(1));
    return parsed.kind === 'error' ? parsed.message : undefined;
  }
  if (args[0] === 'proxy') {
    const parsed = parseProxyArgs(args.slice(1));
    return parsed.kind === 'error' ? parsed.message : undefined;
  }
  const parsed = parseConsoleArgs(args, pageNames);
  return parsed.kind === 'error' ? parsed.message : undefined;
}

/** What the console says about a line typed at its prompt: undefined when it parses. */
function consoleLineProblem(line: string): string | undefined {
  const parsed = consoleLanguage.parseCommandLine(line);
  return parsed.ok ? undefined : parsed.error;
}

/** What proxy mode says about a line typed at its prompt: undefined when it parses. */
function proxyLineProblem(line: string): string | undefined {
  const fault = faultModuleFor(line);
  if (fault?.parse !== undefined) {
    const tokens = tokenize(line);
    const parsed = fault.parse(tokens.ok ? tokens.tokens.map((token) => token.text) : []);
    return parsed.ok ? undefined : parsed.error;
  }
  const parsed = consoleLanguage.parseCommandLine(line);
  if (!parsed.ok) return parsed.error;
  const module = proxyModuleFor(parsed.command.name);
  if (module === undefined) return `${parsed.command.name} is not a proxy mode command`;
  const refused = (module.refusedFlags ?? []).find((flag) =>
    tokenize(line).tokens.some((token) => token.text === flag || token.text.startsWith(`${flag}=`)),
  );
  return refused === undefined ? undefined : `${refused} is refused in proxy mode`;
}

const shellLanguages = new Set(['sh', 'shell', 'bash', 'console', 'zsh']);

function shellLineProblems(text: string): string[] {
  const words = shellWords(text.replace(/^\$\s+/, ''));
  const problems: string[] = [];
  let command: string[] = [];
  for (const word of [...words, ';']) {
    if (!operators.has(word)) {
      command.push(word);
      continue;
    }
    const args = binaryArguments(command);
    const problem = args === undefined ? undefined : binaryArgumentsProblem(args);
    if (problem !== undefined) problems.push(problem);
    command = [];
  }
  return problems;
}

/** The block's lines, a shell line ending in `\` joined with the next; each with its index in the block. */
function logicalLines(block: CodeBlock): [number, string][] {
  const joined: [number, string][] = [];
  let pending: [number, string] | undefined;
  block.lines.forEach((text, index) => {
    const [start, before] = pending ?? [index, ''];
    const continued = shellLanguages.has(block.language) && text.endsWith('\\');
    const line = `${before}${continued ? text.slice(0, -1) : text}`;
    if (continued) pending = [start, line];
    else {
      joined.push([start, line]);
      pending = undefined;
    }
  });
  if (pending !== undefined) joined.push(pending);
  return joined;
}

/** Every line of a block that names a command or flag the binary or the console does not have. */
export function blockProblems(block: CodeBlock): DocProblem[] {
  const problems: DocProblem[] = [];
  for (const [index, text] of logicalLines(block)) {
    const where = `${block.file}:${block.line + 1 + index}`;
    const report = (problem: string | undefined): void => {
      if (problem !== undefined) problems.push({ where, text, problem });
    };
    const proxyPrompt = /^proxy[>›] (.*)$/.exec(text);
    const consolePrompt = /^[>›] (.*)$/.exec(text);
    if (proxyPrompt !== null) report(proxyLineProblem(proxyPrompt[1] ?? ''));
    else if (consolePrompt !== null) report(consoleLineProblem(consolePrompt[1] ?? ''));
    else if (text.trim() === '' || text.trimStart().startsWith('#')) continue;
    else if (block.language === 'sse-console') report(consoleLineProblem(text));
    else if (block.language === 'sse-console-proxy') report(proxyLineProblem(text));
    else if (shellLanguages.has(block.language)) for (const problem of shellLineProblems(text)) report(problem);
  }
  return problems;
}

/** README.md, CONTRIBUTING.md, bench/README.md and every page under docs/, those that exist. */
export function documentationFiles(root: string): string[] {
  const pagesUnder = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return pagesUnder(path);
      return name.endsWith('.md') ? [path] : [];
    });
  const top = ['README.md', 'CONTRIBUTING.md', 'bench/README.md'].map((name) => join(root, name)).filter(existsSync);
  const docs = join(root, 'docs');
  return [...top, ...(existsSync(docs) ? pagesUnder(docs) : [])].map((path) => relative(root, path));
}

/** Every problem in the code blocks of the documentation. */
export function documentationProblems(root: string): DocProblem[] {
  return documentationFiles(root).flatMap((file) =>
    fencedBlocks(file, readFileSync(join(root, file), 'utf8')).flatMap(blockProblems),
  );
}
