import type { ServerResponse } from 'node:http';
import { startLocalServer, type LocalServer } from './http-server.js';

/** What the app saw, for the test to compare with what the page and the console saw. */
export interface ProxyApp extends LocalServer {
  /** The Last-Event-ID header of each /events request, in order (null when absent). */
  readonly streamRequests: (string | null)[];
  /** Bodies of the POST /api/notes requests. */
  readonly notes: string[];
}

/*
The page: an EventSource on a relative URL (as real apps write it), a badge with the
connection state, the events received, an error line, and a form that POSTs a note.
*/
const page = `<!doctype html>
<meta charset="utf-8">
<title>a real app</title>
<p>state: <span id="state" data-state="connecting">connecting</span></p>
<p id="problem" hidden></p>
<p>last id: <span id="last-id"></span></p>
<ul id="events"></ul>
<button id="note">note</button>
<script>
const badge = document.getElementById('state');
const list = document.getElementById('events');
const setState = () => {
  const state = ['connecting', 'open', 'closed'][source.readyState];
  badge.dataset.state = state;
  badge.textContent = state;
};
const add = (text) => {
  const item = document.createElement('li');
  item.textContent = text;
  list.append(item);
};
const source = new EventSource('/events');
source.onopen = setState;
source.onmessage = (event) => {
  document.getElementById('last-id').textContent = event.lastEventId;
  add('message ' + event.data);
};
source.addEventListener('surprise', (event) => add('surprise ' + event.data));
source.onerror = () => {
  setState();
  if (source.readyState === EventSource.CLOSED) {
    const problem = document.getElementById('problem');
    problem.hidden = false;
    problem.textContent = 'the stream failed for good';
  }
};
document.getElementById('note').onclick = () => fetch('/api/notes', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ note: 'clicked' }) });
</script>
`;

/**
A small real app (page, SSE endpoint with ids that resume after Last-Event-ID, one
POST) on a free port: what `sse-console proxy` is put in front of in the e2e test.
*/
export async function startProxyApp(): Promise<ProxyApp> {
  const streamRequests: (string | null)[] = [];
  const notes: string[] = [];
  const streams = new Set<ServerResponse>();
  let timer: NodeJS.Timeout | undefined;
  let nextId = 1;
  const server = await startLocalServer((req, res) => {
    if (req.url === '/events') {
      const asked = req.headers['last-event-id'];
      streamRequests.push(typeof asked === 'string' ? asked : null);
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
        'X-Accel-Buffering': 'no',
      });
      // A short reconnection time keeps the test quick.
      res.write('retry: 300\n\n');
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    if (req.url === '/api/notes' && req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        notes.push(body);
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end('{"saved":true}');
      });
      return;
    }
    if (req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  timer = setInterval(() => {
    const id = nextId++;
    for (const res of streams) res.write(`id: ${id}\ndata: tick ${id}\n\n`);
  }, 150);
  return {
    ...server,
    streamRequests,
    notes,
    async close() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await server.close();
    },
  };
}
