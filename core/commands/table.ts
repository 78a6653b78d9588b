import type { CommandSpec, CommandWord } from './spec.js';

/** Commands `every` refuses to repeat: they change the session, not the stream. */
export const NOT_REPEATABLE: readonly CommandWord[] = [
  'every',
  'quit',
  'tour',
  'help',
  'clear',
  'open',
  'connect',
  'disconnect',
  'replay',
  'filter',
  'pause',
  'resume',
  'source',
];

/** Statuses offered by Tab after `respond`; 200 and any 201–599 are accepted (see core/http/answer-rules.ts). */
const COMMON_STATUSES = ['200', '204', '301', '307', '401', '403', '404', '500', '503'];

const headerFlag = (description: string) =>
  ({ name: 'header', short: 'H', value: 'K:V', repeatable: true, description }) as const;

/**
The console's command language as data. The parser, `help`, Tab completion and the
README command reference all read this table, so they cannot disagree.
*/
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'send',
    summary: 'Send one event to every connected client (or to one, with --to)',
    usage:
      'send [TEXT] [--data TEXT]… [--file PATH] [--event NAME] [--id[=ID]] [--retry MS] [--json] [--to CONN] [--channel NAME]',
    positionals: [
      {
        name: 'TEXT',
        description: 'words of one data line, joined with spaces',
        optional: true,
        variadic: true,
      },
    ],
    flags: [
      {
        name: 'data',
        short: 'd',
        value: 'TEXT',
        repeatable: true,
        description: 'One line of data; repeat it for more lines (each becomes its own data: line)',
      },
      {
        name: 'event',
        short: 'e',
        value: 'NAME',
        description: 'Event type (event: field); pages hear it with addEventListener(NAME), not onmessage',
      },
      {
        name: 'id',
        short: 'i',
        inlineValue: 'ID',
        description:
          'Give the event the next id (1, 2, 3 …) and store it for replay; --id=ID stores it under your own id (a string or number, kept as given)',
      },
      {
        name: 'retry',
        short: 'r',
        value: 'MS',
        description: 'Also set the reconnection time in milliseconds (retry: field)',
      },
      {
        name: 'file',
        short: 'f',
        value: 'PATH',
        description: 'Send the content of a text file (up to 1 MiB) as the data, instead of TEXT and --data',
      },
      {
        name: 'json',
        short: 'j',
        description: 'Check that the data is valid JSON before sending (with --file, also pretty-print it)',
      },
      {
        name: 'to',
        short: 't',
        value: 'CONN',
        description: 'Send to one connection only (a number from conns, like 3 or #3); never stored',
      },
      {
        name: 'channel',
        short: 'c',
        value: 'NAME',
        description: 'Send on the channel /events/NAME instead of /events (its own clients, replay log and ids)',
      },
    ],
    examples: [
      'send Hello',
      'send --data "Hello World!" --id',
      'send --event my-custom-event --data "Hello World! 1"',
      'send --data "line one" --data "line two"',
      `send --json --data '{"clicked": true}'`,
      'send --retry 5000 --data "reconnect more slowly"',
      'send --to 2 "only for connection #2"',
      'send --file payload.json --json --id',
      'send --channel news --id "Extra! Extra!"',
      'send',
    ],
    explanation: [
      'An SSE event is a block of field lines ended by a blank line. Each line of data becomes a `data:` line; the browser joins them with "\\n" and fires a `message` event. Plain words form one line (`send Hello world` sends `data: Hello world`); each --data adds a line, and "\\n" inside quotes splits a line too. `send` alone sends an event with empty data, which still fires.',
      'With --event NAME the browser fires an event of that type instead: pages must call addEventListener("NAME", …) to hear it, because onmessage only hears unnamed events.',
      "With --id the event gets the stream's next id (1, 2, 3 …) and is stored in the replay log. The browser remembers the last id it saw; when the connection drops it reconnects on its own and sends that id back in the Last-Event-ID request header, and the server replays only the stored events after it. A new connection gets the whole log. Events sent without --id are not stored and cannot be replayed.",
      '--retry MS tells the browser how long to wait before reconnecting (Chromium waits 3 s by default, Firefox 5 s). --to CONN sends to one connection only, for debugging; such an event is never stored.',
      "Channels: a page that connects to /events/NAME gets only the events sent with --channel NAME, and a replay from that channel's own log, with ids of its own. `history --channel NAME` shows that log.",
      '--file PATH reads the data from a regular UTF-8 file of up to 1 MiB when the command runs, so a large payload needs no quoting; a final line ending is dropped and every other line becomes its own data: line. With --json the file must hold JSON, which is sent pretty-printed.',
    ],
  },
  {
    name: 'comment',
    summary: 'Send a comment line (": TEXT") that clients ignore',
    usage: 'comment [TEXT…]',
    positionals: [{ name: 'TEXT', description: 'the comment, one line', optional: true, variadic: true }],
    flags: [],
    examples: ['comment keep-alive', 'comment "still here"', 'comment'],
    explanation: [
      'A line that starts with a colon is a comment: EventSource ignores it and fires nothing, and it moves no id. Servers send comments as heartbeats (this console sends one every 15 s) so that proxies do not drop an idle connection. Send one and watch that the pages stay silent while `raw on` shows the bytes.',
      'A comment is one line, so CR and LF are refused; send several comments instead.',
    ],
  },
  {
    name: 'retry',
    summary: 'Tell clients how long to wait before reconnecting (retry: field)',
    usage: 'retry MS',
    positionals: [
      { name: 'MS', description: 'milliseconds, a whole number like 3000', choices: ['1000', '3000', '10000'] },
    ],
    flags: [],
    examples: ['retry 3000', 'retry 10000', 'retry 0'],
    explanation: [
      'Sends a block with only a `retry: MS` field. The browser stores it as its reconnection time at once and fires no event. The next time the connection ends it waits that long, then reconnects, sending Last-Event-ID if it has seen an id.',
      'Try `retry 10000`, then `close all`: the tabs wait ten seconds before they come back. The value is a whole number of milliseconds, 0 or more (awful-sse send-sse-retry).',
    ],
  },
  {
    name: 'every',
    summary: 'Repeat a command at an interval, as a background job',
    usage: 'every DURATION COMMAND…',
    positionals: [
      {
        name: 'DURATION',
        description: 'the interval: 500ms, 1s, 1.5s, 2m, 1h or a number of milliseconds; 10ms to 24h',
        choices: ['500ms', '1s', '5s', '1m'],
      },
      {
        name: 'COMMAND',
        description: 'the command to repeat, with placeholders',
        variadic: true,
        raw: true,
        completes: 'commands',
      },
    ],
    flags: [],
    examples: [
      'every 1s send --event tick --data "{time}"',
      'every 500ms send --id --data "tick {n}"',
      'every 15s comment heartbeat {iso}',
      'every 2m retry 3000',
    ],
    explanation: [
      'Starts a job that runs COMMAND every DURATION until `stop`. This is the awful-sse time server: `every 1s send --event tick --data "{time}"` feeds the clock page.',
      'Placeholders inside the command are filled in at each run: {n} is the run number from 1, {time} is HH:MM:SS, {iso} is an ISO timestamp and {date} the local date and time.',
      `The command is checked now, with sample values in the placeholders, so a mistake shows at once rather than every second. A job cannot run ${NOT_REPEATABLE.slice(0, -1).join(', ')} or ${NOT_REPEATABLE.at(-1) ?? ''}. \`jobs\` lists the jobs and \`stop JOB\` ends one.`,
    ],
  },
  {
    name: 'jobs',
    summary: 'List the running every jobs',
    usage: 'jobs',
    positionals: [],
    flags: [],
    examples: ['jobs'],
    explanation: [
      'Shows each job started with `every` or `replay`: its number, interval (`recorded` for a replay, which keeps the recorded timing), command and how many times it has run. End one with `stop JOB`.',
    ],
  },
  {
    name: 'stop',
    summary: 'Stop an every or replay job, all of them, or the running script',
    usage: 'stop JOB|all|script',
    positionals: [
      { name: 'JOB', description: 'a job number from jobs, like 1 or #1, all, or script', choices: ['all', 'script'] },
    ],
    flags: [],
    examples: ['stop 1', 'stop #1', 'stop all', 'stop script'],
    explanation: [
      'Stops a job started with `every` or `replay`. Events it already sent stay sent (and stored, if they had an id).',
      '`stop script` ends the lesson script started with `source` (or --script) at its current step; Ctrl+C does the same while a script runs. `stop all` stops the jobs only, so a script may use it.',
    ],
  },
  {
    name: 'close',
    summary: 'Close a connection from the server side, or all of them',
    usage: 'close CONN|all',
    positionals: [
      {
        name: 'CONN',
        description: 'a connection number from conns, like 3 or #3, or all',
        choices: ['all'],
      },
    ],
    flags: [],
    examples: ['close 3', 'close #3', 'close all'],
    explanation: [
      'Ends the response for that connection, as the cl-sse server does after 10 events. A browser treats the end of a 200 stream like a dropped network: it waits the reconnection time (see `retry`) and connects again, sending Last-Event-ID if it has seen an id, and replay fills in what it missed. The new connection gets a new number.',
      'To make the browser give up instead, set `respond 204` first: the reconnection is answered 204 No Content and EventSource stops for good.',
    ],
  },
  {
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
  {
    name: 'conns',
    summary: 'List the open connections',
    usage: 'conns',
    positionals: [],
    flags: [],
    examples: ['conns'],
    explanation: [
      'One row per connection: its number (#1, #2 …, never reused, shared by every channel), its channel (when a page connected to /events/NAME), remote address, user agent, path, the Last-Event-ID it asked for, when it connected, events and bytes sent, and bytes still buffered. A buffer that keeps growing means the client reads more slowly than you send.',
      'Over HTTP/1.1 a browser allows only 6 connections per host across all its tabs, so a seventh tab waits until another closes.',
    ],
  },
  {
    name: 'history',
    summary: 'Show, clear, save or load the replay log',
    usage: 'history [clear|save FILE|load FILE] [--channel NAME]',
    positionals: [
      { name: 'ACTION', description: 'clear, save or load', optional: true },
      { name: 'FILE', description: 'a file to save to or load from', optional: true },
    ],
    flags: [
      {
        name: 'channel',
        short: 'c',
        value: 'NAME',
        description: 'Show or clear the replay log of the channel /events/NAME',
      },
    ],
    subcommands: [
      { name: 'clear', usage: 'history clear', summary: 'Empty the replay log' },
      { name: 'save', usage: 'history save FILE', summary: 'Write the replay log to FILE' },
      { name: 'load', usage: 'history load FILE', summary: 'Read a replay log written by history save' },
    ],
    examples: [
      'history',
      'history clear',
      'history save events.json',
      'history load events.json',
      'history --channel news',
    ],
    explanation: [
      'The replay log holds every event sent with --id, in order. A new connection receives all of it first; a reconnecting browser that sends Last-Event-ID N receives only the events after N. If N is older than the oldest event still kept, the gap is logged and the client is told with a comment.',
      'Events sent without --id are never stored. `history` with no argument shows the log.',
      'Each channel (/events/NAME) has its own log: `history --channel NAME` shows it and `history clear --channel NAME` empties it (save and load work on the main log only).',
      'With --history-file, clear, load and a save onto that file rewrite it too, so a restart brings back what the log held. Ids never go back: loaded events with numeric ids that are not all above the ids already issued get new numbers after them (string ids are kept), and the next id survives a clear. Only regular files up to 256 MiB are loaded.',
    ],
  },
  {
    name: 'pages',
    summary: 'List the demo pages and their URLs',
    usage: 'pages',
    positionals: [],
    flags: [],
    examples: ['pages'],
    explanation: [
      'The page listener (port 8080 by default) serves demo pages that open an EventSource to the SSE listener (port 8122 by default): a cross-origin request, allowed by CORS headers, as in the Racket SSE example. Each page shows one idea and suggests a command to try.',
    ],
  },
  {
    name: 'open',
    summary: 'Open a demo page in the browser',
    usage: 'open [PAGE]',
    positionals: [{ name: 'PAGE', description: 'a page name from pages', optional: true, completes: 'pages' }],
    flags: [],
    examples: ['open', 'open clock'],
    explanation: [
      'Opens PAGE (the textarea page if none is named) with the system browser. Open it twice and send an event: it reaches both tabs, because every connection gets every event.',
    ],
  },
  {
    name: 'raw',
    summary: 'Show the exact bytes of each event sent, or stop',
    usage: 'raw on|off',
    positionals: [{ name: 'MODE', description: 'on or off', choices: ['on', 'off'] }],
    flags: [],
    examples: ['raw on', 'raw off'],
    explanation: [
      'With raw on, every event sent is also logged as the exact bytes written to the sockets, line endings made visible. It shows that multi-line data becomes several data: lines, that each event ends with a blank line, and what id: and retry: look like on the wire.',
    ],
  },
  {
    name: 'clear',
    summary: 'Clear the log view',
    usage: 'clear',
    positionals: [],
    flags: [],
    examples: ['clear'],
    explanation: ['Clears the console log. Connections, jobs and the replay log are untouched.'],
  },
  {
    name: 'filter',
    summary: 'Show only the activity lines that match (kinds or text), or all again',
    usage: 'filter [WORD…|off]',
    positionals: [
      {
        name: 'WORD',
        description: 'a log kind (send, connect, disconnect, replay, page, job, raw …) or text to look for',
        optional: true,
        variadic: true,
      },
    ],
    flags: [],
    examples: ['filter connect disconnect', 'filter #3', 'filter off', 'filter'],
    explanation: [
      'Activity lines (sends, connections, replays, page requests, job runs) are logged only when one WORD is their kind, or, for a WORD that is no kind, appears in their text (case ignored). Your commands, their answers, errors and warnings are always shown. `filter off` shows everything again; `filter` alone says what is filtered. Events are still delivered: only the log is quieter.',
    ],
  },
  {
    name: 'pause',
    aliases: ['quiet'],
    summary: 'Stop logging activity lines (delivery goes on); resume shows them again',
    usage: 'pause',
    positionals: [],
    flags: [],
    examples: ['pause', 'quiet'],
    explanation: [
      'While paused, the log shows only your commands and their answers, errors and warnings: a fast job or a reconnect storm no longer scrolls them away. Events are still sent and stored, and the panes stay current. `resume` says how many activity lines were not shown.',
    ],
  },
  {
    name: 'resume',
    summary: 'Log activity lines again after pause',
    usage: 'resume',
    positionals: [],
    flags: [],
    examples: ['resume'],
    explanation: ['Ends `pause`: activity lines are logged again, starting with a count of those not shown.'],
  },
  {
    name: 'help',
    summary: 'List the commands, or explain one',
    usage: 'help [COMMAND]',
    positionals: [{ name: 'COMMAND', description: 'a command name', optional: true, completes: 'commands' }],
    flags: [],
    examples: ['help', 'help send', 'help respond'],
    explanation: [
      '`help` lists every command; `help COMMAND` (or `COMMAND --help`) shows its usage, the SSE idea behind it, its flags and examples.',
    ],
  },
  {
    name: 'quit',
    aliases: ['exit'],
    summary: 'Stop the jobs, close every connection and exit',
    usage: 'quit',
    positionals: [],
    flags: [],
    examples: ['quit', 'exit'],
    explanation: [
      'Stops every job, ends every connection and closes both listeners. Open tabs will try to reconnect and fail until the console runs again. Ctrl+C does the same; a second Ctrl+C forces it.',
    ],
  },
  {
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
  {
    name: 'replay',
    summary: 'Send a recorded stream to the connected clients with its original timing',
    usage: 'replay FILE [--speed N] [--loop]',
    positionals: [{ name: 'FILE', description: 'a recording made with sse-console connect URL --record FILE' }],
    flags: [
      { name: 'speed', value: 'N', description: 'Play N times as fast (0.01 to 1000; default 1)' },
      { name: 'loop', description: 'Start over after the last event, until `stop JOB`' },
    ],
    examples: ['replay stream.jsonl', 'replay stream.jsonl --speed 10 --loop'],
    explanation: [
      'Record a production stream with `sse-console connect URL --record stream.jsonl`, then play it here to a local front end: each event is sent to every connected client with the gaps it arrived with (divided by --speed). The replay is a job: `jobs` lists it and `stop JOB` ends it.',
      'Events that carried an id are sent with that id and stored for replay, so a page that reconnects with Last-Event-ID resumes after it (an id sent again, as with --loop, points at the newer event); events without an id are sent and not stored. A recorded `retry:` is sent as it was.',
    ],
  },
  {
    name: 'disconnect',
    summary: 'Close the client opened by connect',
    usage: 'disconnect',
    positionals: [],
    flags: [],
    examples: ['disconnect'],
    explanation: [
      'Ends the client stream started with `connect`, as EventSource.close() does: no reconnection follows.',
    ],
  },
  {
    name: 'tour',
    summary: 'A guided walk through SSE, one command at a time',
    usage: 'tour [next|stop]',
    positionals: [{ name: 'ACTION', description: 'next or stop', optional: true }],
    flags: [],
    subcommands: [
      { name: 'next', usage: 'tour next', summary: 'Go to the next step' },
      { name: 'stop', usage: 'tour stop', summary: 'End the tour' },
    ],
    examples: ['tour', 'tour next', 'tour stop'],
    explanation: [
      '`tour` starts a short lesson: each step asks you to type one command and says what to watch for in the browser tabs. `tour next` moves on and `tour stop` ends it.',
    ],
  },
  {
    name: 'source',
    summary: 'Run a lesson script: a file of console commands',
    usage: 'source FILE',
    positionals: [
      {
        name: 'FILE',
        description: 'a script file, or the name of a shipped lesson',
        choices: ['racket-readme', 'reconnect'],
      },
    ],
    flags: [],
    examples: ['source racket-readme', 'source reconnect', 'source my-lesson.txt'],
    explanation: [
      'Runs FILE one line at a time, as if typed: console commands, `# narration` lines shown in the log, `sleep DURATION` (like 2s), `wait connections N` (until N tabs are connected) and `wait enter` (until you press Enter). A teacher replays a prepared lesson; a student repeats it at home.',
      'Every line is checked before the first one runs, and each mistake names the file and line. FILE is a path, or the name of a lesson shipped in demo-pages/lessons (racket-readme, reconnect). One script runs at a time; `stop script` or Ctrl+C ends it. `sse-console --script FILE` runs one at start.',
    ],
  },
];

/** The spec for a typed command word or alias (`exit` finds `quit`). */
export function findCommand(word: string): CommandSpec | undefined {
  return COMMANDS.find((spec) => spec.name === word || (spec.aliases ?? []).includes(word));
}

/** Every word that starts a command, aliases included, in table order. */
export function commandWords(): string[] {
  return COMMANDS.flatMap((spec) => [spec.name, ...(spec.aliases ?? [])]);
}
