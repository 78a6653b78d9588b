// Reconnect demo (cl-sse): the stream hangs up after 10 events; the browser resumes
// from Last-Event-ID, and the page checks that no id is missing or repeated.
import { element, prependBounded, startDemo, timeOfDay } from './sse-demo.js';
import { createIdTracker, formatRanges } from './id-tracker.js';

const CLOSE_AFTER = 10;

const log = document.getElementById('log');
const verdict = document.getElementById('verdict');
const ids = document.getElementById('ids');
const counters = ['received', 'reconnects', 'resumes', 'gaps', 'duplicates'].map((name) => [
  name,
  document.getElementById(name),
]);
const lastId = document.getElementById('last-id');

const tracker = createIdTracker();
let opened = 0;

const FLAG_TEXT = {
  duplicate: 'duplicate',
  gap: 'gap',
  'out-of-order': 'out of order',
  'no-id': 'no id field',
};

function addRow(kind, text, { id, flags = [] } = {}) {
  const row = element('li', { data: id === undefined ? { kind } : { kind, id } });
  row.append(element('span', { className: 'time', text: timeOfDay() }), text);
  for (const [flag, label] of flags) {
    row.append(element('span', { className: 'flag', text: label, data: { flag } }));
  }
  prependBounded(log, row);
}

function render() {
  const summary = tracker.summary();
  for (const [name, target] of counters) target.textContent = String(summary[name]);
  lastId.textContent = summary.maxId === undefined ? 'none' : String(summary.maxId);
  ids.textContent = formatRanges(summary.ranges);
  verdict.dataset.verdict = summary.verdict;
  verdict.textContent = {
    waiting: 'Waiting for events.',
    ok:
      summary.reconnects === 0
        ? `${summary.received} events, no gap, no duplicate. The stream hangs up after ${CLOSE_AFTER}.`
        : `${summary.reconnects} reconnects, ${summary.received} events: no gap, no duplicate.`,
    gap: `Gap: ${summary.gaps} time(s) ids were skipped (see the rows marked "gap").`,
    duplicate: `Duplicate: ${summary.duplicates} event(s) arrived twice (see the rows marked "duplicate").`,
  }[summary.verdict];
}

function onStateChange(readyState, event) {
  if (event.type === 'open') {
    opened += 1;
    addRow('open', opened === 1 ? 'connected' : 'reconnected (open)');
  } else if (readyState === EventSource.CONNECTING) {
    const resumeFrom = tracker.noteReconnect();
    addRow(
      'reconnect',
      resumeFrom === ''
        ? 'connection lost; the browser is reconnecting (no id seen yet, so no Last-Event-ID)'
        : `connection lost; the browser is reconnecting and will send Last-Event-ID: ${resumeFrom}`,
    );
  } else {
    addRow(
      'closed',
      'closed for good: the stream answered something other than 200 text/event-stream ' +
        '(e.g. after respond 204). Reload the page to connect again.',
    );
  }
  render();
}

function onMessage(event) {
  const result = tracker.track(event.lastEventId, event.data);
  const flags = [];
  if (result.kind in FLAG_TEXT) {
    const label =
      result.kind === 'gap'
        ? `gap: ${result.missing[0] === result.missing[1] ? result.missing[0] : `${result.missing[0]}–${result.missing[1]}`} missing`
        : FLAG_TEXT[result.kind];
    flags.push([result.kind, label]);
  }
  if (result.resumedAfter !== undefined) {
    flags.push(['resumed', `resumed after ${result.resumedAfter}: nothing lost, nothing repeated`]);
  }
  const idText = event.lastEventId === '' ? 'no id' : `#${event.lastEventId}`;
  addRow('event', `${idText} · ${event.data}`, { id: event.lastEventId, flags });
  render();
}

// Its own channel, /events/reconnect: its ids and replay log belong to this demo alone.
const started = await startDemo({ channel: 'reconnect', params: { closeAfter: CLOSE_AFTER }, onStateChange });
if (started) started.source.onmessage = onMessage;
render();
