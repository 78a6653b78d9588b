export interface FlagSpec {
  /** Long name without dashes: `data` is written `--data`. */
  readonly name: string;
  /** One-letter alias without the dash: `d` is written `-d`. */
  readonly short?: string;
  /** Name of the value in usage text (`TEXT`); absent for a switch such as `--id`. */
  readonly value?: string;
  /**
  A switch that may also carry a value written `--flag=VALUE` (never as the next word,
  which would be ambiguous with a command's TEXT words): `--id` or `--id=abc`.
  */
  readonly inlineValue?: string;
  /** May be given more than once (each value is kept, in order). */
  readonly repeatable?: boolean;
  readonly description: string;
}

interface PositionalSpec {
  /** Name in usage text, such as `MS`. */
  readonly name: string;
  readonly description: string;
  readonly optional?: boolean;
  /** Takes every remaining word. */
  readonly variadic?: boolean;
  /** The remaining words are taken as they are, flags included (`every`'s COMMAND). */
  readonly raw?: boolean;
  /** Words offered by Tab completion for this position. */
  readonly choices?: readonly string[];
  /** Tab completion offers command names or demo page names here. */
  readonly completes?: 'commands' | 'pages';
}

interface SubcommandSpec {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
}

/** One console command: everything the parser, `help`, completion and the command reference need. */
export interface CommandSpec {
  /** The first word of a command line (`respond reset` is the `respond` word). */
  readonly name: string;
  readonly aliases?: readonly string[];
  /** One line, shown in the `help` overview. */
  readonly summary: string;
  readonly usage: string;
  readonly positionals: readonly PositionalSpec[];
  readonly flags: readonly FlagSpec[];
  readonly subcommands?: readonly SubcommandSpec[];
  /** Real lines that parse as they are (a test checks every one). */
  readonly examples: readonly string[];
  /** Paragraphs for `help COMMAND`: what the command does and the SSE idea behind it. */
  readonly explanation: readonly string[];
}

/** `--data` or `--data, -d` style label for messages and help. */
export function flagLabel(flag: FlagSpec): string {
  return flag.short === undefined ? `--${flag.name}` : `--${flag.name} (-${flag.short})`;
}

/** The `--header K:V` flag (`respond` and `connect`), with the command's own description. */
export const headerFlag = (description: string): FlagSpec =>
  ({ name: 'header', short: 'H', value: 'K:V', repeatable: true, description }) as const;
