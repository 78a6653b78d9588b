export const CONNECT_HELP = `Usage: sse-console connect URL [flags]

Connect to any Server-Sent Events endpoint and show what a browser's EventSource
would get: the response status and headers, each event with its arrival time,
type, id and data, comments, retry changes and reconnects.

  URL                      http(s)://host:port/path (http:// is assumed when left out)

Flags:
  -H, --header "Name: value"   add a request header (repeatable)
      --last-event-id ID       send Last-Event-ID on the first request, as if resuming
  -X, --method METHOD          send another method (POST, PUT …): fetch semantics
                               apply, since a browser's EventSource only sends GET
  -d, --data TEXT|@FILE        send a request body (POST unless -X says otherwise);
                               add -H "Content-Type: application/json" for JSON
  -k, --insecure               accept any TLS certificate (self-signed, expired …)
      --reconnect              reconnect after a non-GET request ends (off by default:
                               re-sending a POST is your call)
  -e, --event NAME             only show events of this type (repeatable; "message"
                               is the type of events without an event: field)
      --raw                    also show the exact bytes received, line endings
                               made visible (␍␊ CRLF, ␊ LF, ␍ CR)
      --json                   one JSON object per line: open, first-event, event, id,
                               comment, retry, ignored, response, error, reconnecting,
                               notice, bytes (--raw), closed
  -n, --max-events N           exit 0 after N events have been shown
  -t, --timeout DURATION       give up after DURATION (500ms, 10s, 2m): exit 2 if fewer
                               than N events (or, without --max-events, none) arrived
      --no-reconnect           do not reconnect when the stream ends or drops
      --record FILE            write every event (and id-only block) with its arrival
                               time to FILE as JSON Lines (the console's replay
                               command plays it); FILE is replaced, never written
                               through a symlink, once the first event arrives
      --max-buffer SIZE        most characters held for one unfinished line or event
                               (default 4MiB; e.g. 512KiB): past it the connection is
                               dropped, reported, and reconnected
      --strict                 fail what Chromium fails where the spec is looser: a
                               charset other than UTF-8 in the Content-Type
      --no-color               no colours (also off with NO_COLOR or when piped)
  -h, --help                   show this help

Like a browser, the client reconnects after a dropped connection or a clean end of
the body, waiting the reconnection time (3000 ms until the server sends retry:),
and sends Last-Event-ID when it has one. A status other than 200 (204 included) or
a Content-Type other than text/event-stream fails for good; its status, headers
and the start of its body (up to 64 KiB, read for up to 2 s) are shown first. The reconnection time
is never under 100 ms, and a retry: beyond a timer's range waits that long (as in
Chromium) instead of firing at once. A compressed body (gzip, deflate, br) is
decoded, as a browser does.

Time to first event: before a connection's first event, a line says how many ms
passed from sending the request to that event (and to the 200 response): the wait
a chat UI's user sees. In --json it is its own record, written just before the
first event record: {"type":"first-event","attempt":1,"ms":…,"openMs":…}. After a
reconnect it is counted again, from the end of the reconnection wait.

Exit codes:
  0    --max-events reached, or the stream ended with --no-reconnect
  1    the connection failed: bad URL, non-200 status, wrong Content-Type (or charset
       with --strict), a Last-Event-ID that cannot be sent, a network or decoding
       error or an overflow with --no-reconnect, the stream ended before
       --max-events was reached, or the --record FILE could not be written to the
       end (a full disk)
  2    bad flags, a -d @FILE that cannot be read, a --record FILE that cannot be
       written, or --timeout ran out
  130  interrupted with Ctrl+C (the connection is closed cleanly first)
  143  terminated with SIGTERM (timeout(1), kill; closed cleanly the same way)

Examples:
  sse-console connect http://127.0.0.1:8122/events
  sse-console connect localhost:8122/events --json --max-events 3 --timeout 10s
  sse-console connect https://example.com/stream -H "Authorization: Bearer abc" --raw
  sse-console connect localhost:3000/chat -d '{"prompt":"hi"}' -H "Content-Type: application/json"
`;
