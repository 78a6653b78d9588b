/*
Reads a `--help` text (cli/help-text.ts, cli/connect-help.ts, cli/proxy-help.ts) back
into parts, so the CLI reference is rendered from the very text `--help` prints and
cannot say anything else. The help texts follow one layout, which this relies on:

- a line at column 0 ending in `:` ("Options:", "Exit codes:") heads the indented
  lines under it;
- an option row starts with two spaces and `-x, --name` or six spaces and `--name`,
  then the value's name, then two or more spaces and the description; a description
  too long for its row goes on under it, indented further;
- other lines at column 0 are prose, one paragraph per run of lines.
*/

/** One option row of a help text: `-H, --header "Name: value"   add a request header`. */
export interface HelpOption {
  /** Every long name the row gives (`--http2, --tls` is one option with two names). */
  readonly names: readonly string[];
  /** The one-letter alias, without its dash. */
  readonly short?: string;
  /** The value's name as written (`N`, `[PAGE]`, `"Name: value"`); absent for a switch. */
  readonly value?: string;
  readonly description: string;
}

export type HelpBlock =
  | { readonly kind: 'prose'; readonly text: string }
  | { readonly kind: 'lines'; readonly heading?: string; readonly lines: readonly string[] }
  | { readonly kind: 'options'; readonly heading: string; readonly options: readonly HelpOption[] };

const optionRow =
  /^(?: {2}-([A-Za-z]), | {6})(--[a-z0-9-]+(?:, --[a-z0-9-]+)*)(?: ("[^"]*"|\[[^\]]*\]|\S+))?(?: {2,}(.*))?$/;

function optionsOf(lines: readonly string[], heading: string): HelpOption[] {
  const options: { names: string[]; short?: string; value?: string; description: string[] }[] = [];
  for (const line of lines) {
    const row = optionRow.exec(line);
    if (row !== null) {
      const [, short, names = '', value, description] = row;
      options.push({
        names: names.split(', '),
        ...(short === undefined ? {} : { short }),
        ...(value === undefined ? {} : { value }),
        description: description === undefined ? [] : [description],
      });
      continue;
    }
    const last = options.at(-1);
    if (last === undefined || !/^ {8,}\S/.test(line)) {
      throw new Error(`help text: under "${heading}", "${line}" is neither an option row nor its description`);
    }
    last.description.push(line.trim());
  }
  return options.map(({ description, ...option }) => ({ ...option, description: description.join(' ') }));
}

/** The help text's parts, in order. Throws when an options section has a line it cannot read. */
export function readHelpText(text: string): HelpBlock[] {
  const blocks: HelpBlock[] = [];
  const lines = text.replace(/\n+$/, '').split('\n');
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? '';
    if (line.trim() === '') {
      index += 1;
      continue;
    }
    const start = index;
    if (line.startsWith(' ')) {
      while (index < lines.length && (lines[index] ?? '').startsWith(' ')) index += 1;
      blocks.push({ kind: 'lines', lines: lines.slice(start, index) });
      continue;
    }
    const next = lines[index + 1] ?? '';
    if (line.endsWith(':') && next.startsWith(' ')) {
      index += 1;
      while (index < lines.length && (lines[index] ?? '').startsWith(' ')) index += 1;
      const heading = line.slice(0, -1);
      const body = lines.slice(start + 1, index);
      blocks.push(
        /^(Options|Flags)$/.test(heading)
          ? { kind: 'options', heading, options: optionsOf(body, heading) }
          : { kind: 'lines', heading, lines: body },
      );
      continue;
    }
    while (index < lines.length && (lines[index] ?? '').trim() !== '' && !(lines[index] ?? '').startsWith(' ')) {
      index += 1;
    }
    blocks.push({ kind: 'prose', text: lines.slice(start, index).join(' ') });
  }
  return blocks;
}

/** Every option a help text documents, from all its options sections. */
export function helpOptions(text: string): HelpOption[] {
  return readHelpText(text).flatMap((block) => (block.kind === 'options' ? block.options : []));
}
