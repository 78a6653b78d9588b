export const BENCH_HELP = `Usage: sse-console bench URL [flags]

Put a bounded load on an SSE endpoint: open N streams (at once, or spread over
--ramp), hold them for --duration, close them and report what users wait for.

  URL                          http(s)://host:port/path; this machine only
                               (localhost, 127.0.0.0/8, ::1) unless --allow-host

Flags:
  -c, --connections N          streams to open, 1 to 1000 (default 10)
      --ramp DURATION          open them evenly over this time (default 0: at once)
  -D, --duration DURATION      the whole run, ramp included (default 10s, at most 10m);
                               then every stream is closed and bench exits
  -X, --method METHOD          another method (POST for an LLM-style stream)
  -d, --data TEXT|@FILE        a request body (POST unless -X says otherwise)
  -H, --header "Name: value"   add a request header (repeatable)
      --allow-host HOST        also load HOST (repeatable); only ever a host you run
  -k, --insecure               accept any TLS certificate
      --json                   the report as one JSON object ({"type":"bench",…})
  -h, --help                   show this help

Report: connections opened and failed; time to open (request to the 200 response)
and time to first event (request to the first event), per connection and per
reconnect; events and events/s; the time between events on one connection;
latency (arrival minus the server's own timestamp, when the data is a number of
s/ms/µs since 1970, an ISO time, or JSON with ts, timestamp, time or sentAt);
reconnects; errors. Percentiles are p50, p99 and max, in ms.

Streams reconnect as a browser does (a POST too: bench counts it). A redirect
to a host bench may not load closes that stream and counts as an error. Ctrl+C
stops early and still reports.

Exit codes: 0 every stream opened and no error; 1 a stream failed or errors
happened; 2 bad flags.

Examples:
  sse-console bench http://127.0.0.1:8122/events -c 50 --ramp 5s -D 30s
  sse-console bench localhost:3000/chat -X POST -d '{"prompt":"hi"}' -H "Content-Type: application/json" --json
`;
