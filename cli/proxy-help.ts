/** `sse-console proxy --help`. */
export function proxyHelp(version: string): string {
  return `sse-console ${version} — proxy mode: watch and break your own app's event streams

Usage:
  sse-console proxy URL [options]

Forwards every request (pages, assets, API calls, streams) to the app at URL and
brings its answers back unchanged. Open the proxy's address instead of your app's:
every text/event-stream answer becomes a connection in the console, every event that
passes is logged, and commands break the streams on purpose. URL is http:// or
https://; for an app whose certificate comes from a local CA (mkcert), start with
NODE_EXTRA_CA_CERTS=path/to/rootCA.pem.

Options:
      --sse-port N         port the proxy listens on (default 8122; 0 = any free port)
      --host H             interface to bind (default 127.0.0.1: this machine only)
      --strict-port        fail if the port is busy instead of moving to the next one
      --token T            require T: open a page once with ?sse-console-token=T and the
                           browser keeps it in a cookie (stripped before forwarding)
      --upstream-timeout MS
                           answer 504 when the app has not started answering by then
                           (default 30000)
      --max-buffer SIZE    longest line or event the console decodes (default 4MiB);
                           a longer one still reaches the browser, and is reported
      --no-tui             line mode: read commands from stdin, log to stdout
      --json               line mode with one JSON object per log line; the first is
                           {"type":"listening","proxy":URL,"upstream":URL}
  -h, --help               show this help

Commands in proxy mode:
  close CONN|all           cut the browser side and the upstream request (it reconnects
                           with Last-Event-ID)
  send [TEXT] [--event NAME] [--to CONN]
                           inject an event between upstream events
  respond STATUS [--once]  answer the next stream requests without asking upstream
  respond reset            forward stream requests again
  delay DURATION [CONN|all]
                           hold upstream events back (delay 0 stops)
  drop N [CONN|all]        drop the next N upstream events
  pause CONN|all, resume CONN|all
                           hold upstream events, then let them go
  buffer BYTES|off         hold output until BYTES gathered (a buffering proxy)
  idle-cut DURATION|off    cut a stream after DURATION without a byte from upstream
  limit N|off              hold stream requests past N at once (a browser's pool)
  gzip [off]               compress new streams, never flushing
  rechunk utf8|crlf|bytes|off
                           split the bytes to the browser at hostile places
  conns, raw on|off, clear, help, quit

Example:
  sse-console proxy http://127.0.0.1:3000    # then open http://127.0.0.1:8122/
`;
}
