// Connection-limit demo: opens up to 8 EventSources, one at a time, and shows each one's readyState over time.
import { element, loadDemoConfig, readyStateName, showProblem, streamUrl } from './sse-demo.js';

const MAX_STREAMS = 8;
const OPEN_EVERY_MS = 300;
/** How often readyState is read: CONNECTING has no event of its own while the browser queues a request. */
const POLL_MS = 250;
/** Why 7 and 8 wait, with the command that restarts this console over HTTP/2. */
const http1Hint = (config) =>
  'Streams 7 and 8 are still connecting after 3 s: over HTTP/1.1 this browser holds at most 6 connections ' +
  `to the stream, one per open stream. Restart with ${config.launchCommand ?? 'sse-console'} --http2 to see all eight open.`;

const rows = document.getElementById('stream-rows');
const badge = document.getElementById('state');
const counts = {
  connecting: document.getElementById('connecting-count'),
  open: document.getElementById('open-count'),
  closed: document.getElementById('closed-count'),
};

/** 'h2', 'http/1.1' … as the browser reports the page's own navigation. */
function pageProtocol() {
  const [navigation] = performance.getEntriesByType('navigation');
  return navigation?.nextHopProtocol || 'unknown';
}

/** The channel this page's streams use, so no other demo's events or replay reach them. */
const CHANNEL = 'limits';

/**
One stream: its EventSource, its table row and the readyState changes seen.
`?announce` asks the console to tell each connection its number (an event of type
`connection`), the number `conns` shows and `close` takes.
*/
function createTracked(config, number, onConnection) {
  const source = new EventSource(streamUrl(config, { stream: number, announce: 1 }, CHANNEL));
  const created = performance.now();
  const row = element('tr', { data: { stream: number, state: 'connecting' } });
  const connection = element('td', { text: '—', data: { testid: 'connection' } });
  const state = element('td', { text: 'CONNECTING' });
  const opened = element('td', { text: '—' });
  const changes = element('td', { className: 'data', text: 'CONNECTING at 0' });
  row.append(element('td', { text: String(number) }), connection, state, opened, changes);
  rows.append(row);
  const seen = [{ readyState: source.readyState, at: 0 }];
  const tracked = {
    source,
    number,
    /** The console's number for this stream's current connection; undefined while it has none. */
    connectionId: undefined,
    /** Reads readyState; records and shows a change. */
    check() {
      const now = source.readyState;
      if (seen.at(-1)?.readyState === now) return;
      const at = Math.round(performance.now() - created);
      seen.push({ readyState: now, at });
      const name = readyStateName(now);
      row.dataset.state = name;
      state.textContent = name.toUpperCase();
      if (now === EventSource.OPEN && opened.textContent === '—') opened.textContent = `${at} ms`;
      changes.textContent = seen
        .map((entry) => `${readyStateName(entry.readyState).toUpperCase()} at ${entry.at}`)
        .join(' → ');
    },
  };
  const setConnection = (id) => {
    tracked.connectionId = id;
    connection.textContent = id === undefined ? '—' : `#${id}`;
    row.dataset.connection = id === undefined ? '' : String(id);
    onConnection();
  };
  source.addEventListener('connection', (event) => {
    const id = Number(event.data);
    if (Number.isSafeInteger(id) && id > 0) setConnection(id);
  });
  // A dropped connection's number is gone; the reconnection is told its new one.
  source.addEventListener('error', () => setConnection(undefined));
  return tracked;
}

const closeCommand = document.getElementById('close-command');
const closeStream = document.getElementById('close-stream');
const closeNote = document.getElementById('close-note');

/** The Try box's `close N`: the first stream that has a connection, by the console's number for it. */
function showCloseCommand(streams) {
  const first = streams.find((stream) => stream.connectionId !== undefined);
  closeStream.textContent = String(first?.number ?? 1);
  closeCommand.textContent = first === undefined ? 'close …' : `close ${first.connectionId}`;
  closeNote.hidden = first !== undefined;
}

const config = await loadDemoConfig();
if (config) {
  document.getElementById('page-protocol').textContent = pageProtocol();
  document.getElementById('stream-url').textContent = new URL(
    streamUrl(config, {}, CHANNEL),
    window.location.href,
  ).href;
  let tracked = [];
  let opener;
  let hintTimer;

  const summarize = () => {
    const tally = { connecting: 0, open: 0, closed: 0 };
    for (const stream of tracked) {
      stream.check();
      tally[readyStateName(stream.source.readyState)] += 1;
    }
    for (const [name, node] of Object.entries(counts)) node.textContent = String(tally[name]);
    const overall = tally.connecting > 0 ? 'connecting' : tally.open > 0 ? 'open' : 'closed';
    badge.dataset.state = overall;
    badge.textContent = `${tally.open} of ${tracked.length} open`;
    badge.dataset.open = String(tally.open);
  };

  const openOne = () => {
    if (tracked.length >= MAX_STREAMS) return false;
    const stream = createTracked(config, tracked.length + 1, () => showCloseCommand(tracked));
    stream.source.addEventListener('open', summarize);
    stream.source.addEventListener('error', summarize);
    tracked.push(stream);
    summarize();
    return true;
  };

  const start = () => {
    clearInterval(opener);
    opener = setInterval(() => {
      if (!openOne()) clearInterval(opener);
    }, OPEN_EVERY_MS);
    openOne();
    clearTimeout(hintTimer);
    // Three seconds after the last stream was created, say why any still wait.
    hintTimer = setTimeout(
      () => {
        const waiting = tracked.filter((stream) => stream.source.readyState === EventSource.CONNECTING).length;
        showProblem(waiting > 0 && pageProtocol() !== 'h2' ? http1Hint(config) : '');
      },
      MAX_STREAMS * OPEN_EVERY_MS + 3000,
    );
  };

  const closeAll = () => {
    clearInterval(opener);
    for (const stream of tracked) stream.source.close();
    summarize();
  };

  document.getElementById('open-next').addEventListener('click', () => {
    clearInterval(opener);
    openOne();
  });
  document.getElementById('close-all').addEventListener('click', closeAll);
  document.getElementById('restart').addEventListener('click', () => {
    closeAll();
    tracked = [];
    rows.replaceChildren();
    showCloseCommand([]);
    showProblem('');
    start();
  });
  setInterval(summarize, POLL_MS);
  start();
}
