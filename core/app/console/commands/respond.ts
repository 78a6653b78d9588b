import { answerHeaderProblem, answerStatusProblem } from '../../../index.js';
import type { ParsedArgs } from '../../commands/args.js';
import { done, fail, type BuildContext, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { usageError } from '../../commands/args.js';
import { headerFlag } from '../../commands/spec.js';
import { hasFlag, headers, word } from '../../commands/arg-values.js';
import { parseStatus } from '../../commands/values.js';
import { describePolicy, normalPolicy } from '../respond-policy.js';

export interface RespondCommand {
  readonly name: 'respond';
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly once: boolean;
}

export interface RespondResetCommand {
  readonly name: 'respond-reset';
}

/** Statuses offered by Tab after `respond`; 200 and any 201–599 are accepted (see answerStatusProblem). */
const COMMON_STATUSES = ['200', '204', '301', '307', '401', '403', '404', '500', '503'];

/** What a teacher should know before a browser meets this status: 3xx without Location, 1xx. */
function respondWarnings(status: number, headers: readonly (readonly [string, string])[]): string[] {
  const hasLocation = headers.some(([name]) => name.toLowerCase() === 'location');
  if (status >= 100 && status < 200) {
    return [
      `${status} is a 1xx (informational) status, not a final answer: browsers wait for a real one or fail; use 2xx, 3xx, 4xx or 5xx`,
    ];
  }
  if (status >= 300 && status < 400 && !hasLocation) {
    return [
      `${status} without a Location header: browsers cannot follow it and fail the connection; add --header Location:URL (Chromium's EventSource follows a 301, 302, 307 or 308 with Location)`,
    ];
  }
  return [];
}

function build(args: ParsedArgs, { spec }: BuildContext): BuildResult<RespondCommand | RespondResetCommand> {
  const first = word(args, 0) ?? '';
  if (first === 'reset') {
    const [flag] = args.flags.keys();
    if (flag !== undefined) return fail(usageError(spec, `reset takes no flags, but got --${flag}`, 'respond reset'));
    return done({ name: 'respond-reset' });
  }
  const status = parseStatus(first);
  if (!status.ok) return fail(usageError(spec, status.error, `${spec.usage}, or respond reset`));
  const statusProblem = answerStatusProblem(status.value);
  if (statusProblem !== undefined) return fail(usageError(spec, statusProblem));
  const list = headers(args, spec);
  if (!list.ok) return fail(list.error);
  for (const [name] of list.value) {
    const problem = answerHeaderProblem(name, status.value);
    if (problem !== undefined) return fail(usageError(spec, `--header: ${problem}`));
  }
  return done({ name: 'respond', status: status.value, headers: list.value, once: hasFlag(args, 'once') });
}

function run(command: RespondCommand | RespondResetCommand, context: ConsoleContext): void {
  if (command.name === 'respond-reset') {
    context.setPolicy(normalPolicy);
    context.emit('output', 'new connections stream normally again (200)');
    return;
  }
  context.setPolicy({ status: command.status, headers: command.headers, once: command.once });
  context.emit('output', `new connections will be answered ${describePolicy(context.state.policy)}`);
  for (const warning of respondWarnings(command.status, command.headers)) context.emit('warn', warning);
}

export const respondCommand: CommandModule<RespondCommand | RespondResetCommand> = {
  spec: {
    name: 'respond',
    summary: 'Choose how new connections are answered: status and headers',
    usage: 'respond STATUS [--header K:V]… [--once]',
    positionals: [
      {
        name: 'STATUS',
        description: 'an HTTP status: 200 (stream) or 201 to 599 (a refusal or redirect), or reset',
        choices: COMMON_STATUSES,
      },
    ],
    flags: [
      headerFlag(
        'Add a response header, written "Name: value" or Name:value (not Content-Length, Transfer-Encoding, hop-by-hop headers, or Content-Type on 200)',
      ),
      { name: 'once', description: 'Answer only the next connection this way, then stream normally again' },
    ],
    subcommands: [
      { name: 'reset', usage: 'respond reset', summary: 'Answer 200 and stream again (the normal answer)' },
    ],
    examples: [
      'respond 204',
      'respond 401 --once',
      'respond 500 --header "Retry-After: 5"',
      'respond 200 --header X-Demo:yes',
      'respond reset',
    ],
    explanation: [
      'Sets the answer new SSE connections get, like the clack-sse on-connect hook. 200 is normal streaming. Any other status ends the request at once, and EventSource treats every non-200 answer as fatal: it fires `error` with readyState CLOSED and never reconnects.',
      '204 No Content is the polite way to tell a browser to stop reconnecting. 401 and 500 show how a page sees an auth failure or a server error. A redirect (301, 307) also needs a Location header, which the browser follows.',
      'Only network errors and the normal end of a 200 stream make a browser reconnect. With --once the next connection alone gets this answer, so you can watch one reconnection fail.',
    ],
  },
  repeatable: true,
  alsoBuilds: ['respond-reset'],
  build,
  run,
};
