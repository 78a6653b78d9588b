import type { CommandModule } from '../console/commands/command-module.js';
import type { COMMAND_MODULES } from '../console/commands/list.js';
import type { Result } from '../result.js';

type CommandOf<M> = M extends CommandModule<infer C> ? C : never;

/**
A parsed console command: the union of what each command module builds (each
module declares its own shape). The parser produces these from typed lines; the
console controller runs them. Every field is already validated: ids are integers,
durations are milliseconds, statuses are 100–599, header names and values are free
of CR, LF and NUL.
*/
export type Command = CommandOf<(typeof COMMAND_MODULES)[number]>;

export type CommandName = Command['name'];

/** Parser result: a command, or one line that says what was wrong and the valid form. */
export type ParseResult = Result<{ command: Command }>;
