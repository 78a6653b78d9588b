/** `sse-console --help`. Kept free of Ink and React so printing it costs nothing. */
export function consoleHelp(version: string): string {
  return `sse-console ${version} — a terminal console for Server-Sent Events

Usage:
  sse-console [options]          start the SSE stream, the demo pages and the console
  sse-console connect URL [...]  inspect any SSE endpoint (sse-console connect --help)
  sse-console proxy URL [...]    put the console between your app and its browser:
                                 watch and break its live streams (sse-console proxy --help)
  sse-console doctor URL [...]   say why a stream arrives in bursts, is cut when idle or
                                 loses events on reconnect (sse-console doctor --help)
  sse-console bench URL [...]    a bounded load on a stream: time to first event,
                                 events/s, latency (sse-console bench --help)

Options:
  -p, --port N             demo pages port (default 8080; 0 = any free port)
      --sse-port N         SSE stream port (default 8122; 0 = any free port)
      --host H             interface to bind (default 127.0.0.1: this machine only)
      --strict-port        fail if a port is busy instead of moving to the next one
      --open [PAGE]        open a demo page in the browser once listening (default textarea)
      --history-limit N    events kept for replay (default 1000)
      --history-max-bytes N
                           bytes of events kept for replay (default 67108864 = 64 MiB)
      --history-file FILE  keep the replay log in FILE (JSON Lines) across runs;
                           compacted to what the log keeps
      --redis URL          keep every stream's replay log in Redis (redis://HOST:PORT),
                           shared with other consoles and apps on the same server:
                           \`send\` in one reaches the tabs of all (docs/redis-console.md)
      --heartbeat MS       heartbeat comment interval (default 15000; 0 = off)
      --cors ORIGIN        also allow this origin to read the stream (repeatable; * = any)
      --token T            require T on the stream (?token= or Authorization: Bearer)
                           and on the demo pages' POST endpoints
      --max-connections N  answer 503 beyond N live connections
      --http2, --tls       serve the stream and the pages over HTTP/2 with TLS (https://;
                           HTTP/1.1 too for old clients), so a browser can open more
                           than 6 streams; a self-signed localhost certificate is made
                           on first use and kept in the state directory (below)
      --no-tui             line mode: read commands from stdin, log to stdout
                           (also when stdin or stdout is not a terminal)
      --json               line mode with one JSON object per log line
      --repl               a Node REPL with the library in scope (sse, server,
                           channel(name), run(command), createSse …) instead of the TUI
      --script FILE        run a lesson script once listening (a file of console
                           commands, or a shipped lesson: racket-readme, reconnect);
                           in line mode a script that uses \`expect\` ends the process
                           when it finishes: status 0 if every expectation passed, 1 if not
  -h, --help               show this help
  -v, --version            show the version

In the console, type \`help\` (or ? on an empty prompt) for the commands, e.g.
  send --data "Hello World!"          sent to open tabs, not stored
  send --data "Hello again" --id      stored: tabs opened later get it too
  every 1s send --event tick --data "{time}"

Environment: NO_COLOR turns colours off. Prompt history and the --http2
certificate are kept in $XDG_STATE_HOME/sse-console (default
~/.local/state/sse-console).
`;
}
