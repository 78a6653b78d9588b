import type { ParsedArgs } from '../../commands/args.js';
import { done, fail, type BuildContext, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { usageError } from '../../commands/args.js';
import { headerFlag } from '../../commands/spec.js';
import { flagValue, hasFlag, headers, optional, word } from '../../commands/arg-values.js';
import { shown } from '../../commands/messages.js';
import { checkHeaderValue, isHttpToken, parseHttpUrl } from '../../commands/values.js';
import { createRemoteViewer } from '../remote-viewer.js';

export interface ConnectCommand {
  readonly name: 'connect';
  readonly url: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly lastEventId?: string;
  /** GET unless --method or --data says otherwise. */
  readonly method?: string;
  /** --data: the text, or the file to read the body from (`@FILE`). */
  readonly body?: { readonly text: string } | { readonly file: string };
  readonly insecure?: boolean;
  /** --reconnect: also reconnect after a non-GET request. */
  readonly reconnect?: boolean;
}

function build(args: ParsedArgs, { spec }: BuildContext): BuildResult<ConnectCommand> {
  const url = parseHttpUrl(word(args, 0) ?? '');
  if (!url.ok) return fail(usageError(spec, url.error));
  const list = headers(args, spec);
  if (!list.ok) return fail(list.error);
  const check = (text: string) => checkHeaderValue(text, 'the Last-Event-ID');
  const lastEventId = optional(flagValue(args, 'last-event-id'), check);
  if (!lastEventId.ok) return fail(usageError(spec, lastEventId.error));
  const data = flagValue(args, 'data');
  const method = flagValue(args, 'method') ?? (data === undefined ? undefined : 'POST');
  if (method !== undefined && !isHttpToken(method)) {
    return fail(usageError(spec, `--method expects one word such as GET, POST or PUT; got ${shown(method)}`));
  }
  if (data !== undefined && ['GET', 'HEAD'].includes((method ?? 'GET').toUpperCase())) {
    return fail(
      usageError(
        spec,
        `--data sends a body, which a ${(method ?? 'GET').toUpperCase()} request cannot have: leave --method out (POST is used) or give POST, PUT or PATCH`,
      ),
    );
  }
  if (data === '@') return fail(usageError(spec, '--data @FILE needs a file name after the @, e.g. -d @body.json'));
  return done({
    name: 'connect',
    url: url.value,
    headers: list.value,
    ...(lastEventId.value === undefined ? {} : { lastEventId: lastEventId.value }),
    ...(method === undefined ? {} : { method }),
    ...(data === undefined ? {} : { body: data.startsWith('@') ? { file: data.slice(1) } : { text: data } }),
    ...(hasFlag(args, 'insecure') ? { insecure: true } : {}),
    ...(hasFlag(args, 'reconnect') ? { reconnect: true } : {}),
  });
}

function run(command: ConnectCommand, context: ConsoleContext): void {
  const { state } = context;
  state.remote?.close();
  const { name: _name, ...request } = command;
  state.remote = createRemoteViewer({ ...request, log: context.emit, changed: context.changed });
  context.changed();
}

export const connectCommand: CommandModule<ConnectCommand> = {
  spec: {
    name: 'connect',
    summary: 'Connect to an SSE URL as a client and log what arrives',
    usage:
      'connect URL [--header K:V]… [--last-event-id ID] [--method METHOD] [--data TEXT|@FILE] [--insecure] [--reconnect]',
    positionals: [{ name: 'URL', description: 'an http:// or https:// URL of an event stream' }],
    flags: [
      headerFlag('Send a request header, written "Name: value" or Name:value'),
      {
        name: 'last-event-id',
        value: 'ID',
        description: 'Send Last-Event-ID: ID, as a reconnecting browser does',
      },
      {
        name: 'method',
        short: 'X',
        value: 'METHOD',
        description: 'Send another method (POST, PUT …); EventSource only sends GET, so fetch semantics apply',
      },
      {
        name: 'data',
        short: 'd',
        value: 'TEXT',
        description: 'Send a request body (POST unless --method says otherwise); @FILE reads it from a file',
      },
      { name: 'insecure', short: 'k', description: 'Accept any TLS certificate (self-signed, expired …)' },
      { name: 'reconnect', description: 'Reconnect after a non-GET request ends (off by default)' },
    ],
    examples: [
      'connect http://127.0.0.1:8122/events',
      'connect http://127.0.0.1:8122/events --last-event-id 3',
      'connect https://example.com/stream --header "Authorization: Bearer secret"',
      'connect http://127.0.0.1:3000/chat -d \'{"prompt":"hi"}\' -H "Content-Type: application/json"',
    ],
    explanation: [
      "Opens a client (like the cl-sse client module) to any http(s) event stream, this console's or another server's, and logs each event, comment, id and retry it receives, plus the response status and Content-Type, which must be text/event-stream.",
      '--last-event-id asks the server to resume after that id, as a browser does when it reconnects. One client at a time; `disconnect` ends it.',
      "Many streams are opened with POST and a JSON body (LLM token streams, MCP). A browser's EventSource cannot make such a request, so the log says so and fetch's semantics apply: no reconnect when the stream ends unless --reconnect is given, since re-sending a POST is your call.",
    ],
  },
  repeatable: false,
  build,
  run,
};
