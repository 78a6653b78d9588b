/** Default watch: long enough to see a load balancer's 60 s idle cut. */
export const DEFAULT_DOCTOR_DURATION = '75s';

export const DOCTOR_HELP = `Usage: sse-console doctor URL [flags]

Watch an event stream the way a browser takes it and say what is wrong with it, in
plain words: events that arrive in bursts, compression, a stream cut when idle,
headers browsers or proxies mishandle, and what a reconnecting client is sent.

  URL                      http(s)://host:port/path (http:// is assumed when left out)

Flags:
      --duration DURATION      how long to watch (default ${DEFAULT_DOCTOR_DURATION}, long enough to see a
                               60 s idle cut; e.g. 10s, 2m); doctor stops sooner
                               when the stream ends
      --origin ORIGIN          the page origin that would open the stream (sent as
                               Origin; its CORS answer is checked), e.g.
                               --origin https://app.example.com
  -H, --header "Name: value"   add a request header (repeatable)
  -X, --method METHOD          send another method (POST …), as connect does
  -d, --data TEXT|@FILE        send a request body (POST unless -X says otherwise)
  -k, --insecure               accept any TLS certificate
      --json                   one JSON object per finding, one per line:
                               {"code","level","message","advice","evidence"}
  -h, --help                   show this help

Findings (code: what it means):
  connect      no response, or a status other than 200
  headers      Content-Type, charset, Cache-Control, Content-Length, CORS for
               --origin, HTTP version and the 6-connections-per-host limit
  buffered     events held back and delivered in bursts: measured against the
               server's timestamps when the data carries one (a number or a JSON
               field ts, timestamp, time or sentAt), else from how arrivals group;
               the likely cause is named from the headers (compression, nginx's
               X-Accel-Buffering, a CDN)
  compressed   Content-Encoding on the stream, and whether events still arrive
               one by one
  idle-cut     the stream ended after a quiet spell with no heartbeat first, and
               which heartbeat interval keeps it open
  heartbeat    whether comment lines keep the stream from looking idle
  ids          events without ids cannot be resumed
  reconnect    doctor reconnects once with the Last-Event-ID of an event it saw
               and says what came back: the missed events, a reset event,
               duplicates, or nothing
  post         a POST stream, and what retrying it costs

Each finding has a level: ok, info, warn or error.

Exit codes:
  0    no finding at level warn or error
  1    at least one warn or error finding
  2    bad flags, or a -d @FILE that cannot be read
  130  interrupted with Ctrl+C (what was seen so far is reported first)
  143  terminated with SIGTERM (timeout(1), kill; reported the same way)
`;
