// Connection-limit demo: opens up to 8 EventSources, one at a time, and shows each one's readyState over time.
import { element, loadDemoConfig, readyStateName, showProblem, streamUrl } from './sse-demo.js';

const MAX_STREAMS = 8;
const OPEN_EVERY_MS = 300;
/** How often readyState is read: CONNECTING has no event of its own while the browser queues a request. */
const POLL_MS = 250;
const HTTP1_HINT =
  'Streams 7 and 8 are still connecting after 3 s: over HTTP/1.1 this browser holds at most 6 connections ' +
  'to the stream, one per open stream. Restart with sse-console --http2 to see all eight open.';

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

/** One stream: its EventSource, its table row and the readyState changes seen. */
function createTracked(config, number) {
  const source = new EventSource(streamUrl(config, { stream: number }));
  const created = performance.now();
  const row = element('tr', { data: { stream: number, state: 'connecting' } });
  const state = element('td', { text: 'CONNECTING' });
  const opened = element('td', { text: '—' });
  const changes = element('td', { className: 'data', text: 'CONNECTING at 0' });
  row.append(element('td', { text: `#${number}` }), state, opened, changes);
  rows.append(row);
  const seen = [{ readyState: source.readyState, at: 0 }];
  return {
    source,
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
}

const config = await loadDemoConfig();
if (config) {
  document.getElementById('page-protocol').textContent = pageProtocol();
  document.getElementById('stream-url').textContent = new URL(streamUrl(config), window.location.href).href;
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
    const stream = createTracked(config, tracked.length + 1);
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
        showProblem(waiting > 0 && pageProtocol() !== 'h2' ? HTTP1_HINT : '');
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
    showProblem('');
    start();
  });
  setInterval(summarize, POLL_MS);
  start();
}
