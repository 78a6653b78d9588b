// Inspector: readyState changes, every event in a table, errors explained, listeners on demand.
import {
  closeStream,
  element,
  loadDemoConfig,
  openStream,
  prependBounded,
  readyStateName,
  showProblem,
  timeOfDay,
} from './sse-demo.js';

const ROW_LIMIT = 500;

const toggleButton = document.getElementById('toggle-connection');
const clearButton = document.getElementById('clear');
const form = document.getElementById('add-type-form');
const typeInput = document.getElementById('type-name');
const typeList = document.getElementById('types');
const readyStates = document.getElementById('ready-states');
const body = document.getElementById('log-body');

const ERROR_MEANING = {
  0: 'readyState 0 (CONNECTING): the connection dropped or the server ended the response; the browser will reconnect after the retry time and send Last-Event-ID.',
  2: 'readyState 2 (CLOSED): the answer was not 200 text/event-stream (e.g. respond 204, 401, 500) or the request failed for good; the browser will not retry. Press Reopen.',
};

/** Event types listened for with addEventListener; `message` is what onmessage would see. */
const types = ['message'];
let config;
let source;
let lastReadyState;

function addRow(type, data, lastEventId, extra = {}) {
  const row = element('tr', { data: { type, ...extra } });
  row.append(
    element('td', { className: 'mono', text: timeOfDay() }),
    element('td', { className: 'mono', text: type }),
    element('td', { className: 'data', text: data }),
    element('td', { className: 'mono', text: lastEventId }),
  );
  prependBounded(body, row, ROW_LIMIT);
}

/** Logs readyState when it differs from the last one logged. */
function noteReadyState(readyState, cause) {
  if (readyState === lastReadyState) return;
  lastReadyState = readyState;
  const row = element('li', { data: { readyState } });
  row.append(
    element('span', { className: 'time', text: timeOfDay() }),
    `${readyState} ${readyStateName(readyState).toUpperCase()} · ${cause}`,
  );
  prependBounded(readyStates, row, 100);
}

function onEvent(event) {
  addRow(event.type, event.data, event.lastEventId === '' ? '(none)' : event.lastEventId, {
    id: event.lastEventId,
  });
}

function listen(type) {
  source.addEventListener(type, onEvent);
}

function connect() {
  // Its own channel, /events/inspector: it lists what is sent for it, not every other demo's events.
  source = openStream(config, {
    channel: 'inspector',
    onStateChange(readyState, event) {
      noteReadyState(readyState, `${event.type} event`);
      if (event.type === 'open') {
        addRow('open', 'connected: 200 text/event-stream', '', { readyState });
      } else {
        addRow('error', ERROR_MEANING[readyState] ?? `readyState ${readyState}`, '', { readyState });
      }
      updateButton();
    },
  });
  for (const type of types) listen(type);
  noteReadyState(source.readyState, 'new EventSource');
  updateButton();
}

function updateButton() {
  const closed = source.readyState === EventSource.CLOSED;
  toggleButton.textContent = closed ? 'Reopen' : 'Close';
  toggleButton.dataset.action = closed ? 'reopen' : 'close';
}

function showTypes() {
  typeList.replaceChildren(...types.map((type) => element('li', { text: type, data: { type } })));
}

toggleButton.addEventListener('click', () => {
  if (!source) return;
  if (source.readyState === EventSource.CLOSED) {
    connect();
  } else {
    closeStream(source);
    noteReadyState(source.readyState, 'close() called');
    addRow('close()', 'closed by this page: no reconnect until Reopen', '');
    updateButton();
  }
});

clearButton.addEventListener('click', () => body.replaceChildren());

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const type = typeInput.value.trim();
  if (type === '') {
    showProblem('Type an event name to listen for, e.g. tick or my-custom-event.');
    return;
  }
  if (type === 'open' || type === 'error') {
    showProblem(`"${type}" is always shown: it is the connection's own event.`);
    return;
  }
  if (types.includes(type)) {
    showProblem(`Already listening for "${type}".`);
    return;
  }
  showProblem('');
  types.push(type);
  if (source) listen(type);
  showTypes();
  typeInput.value = '';
});

showTypes();
config = await loadDemoConfig();
if (config) connect();
