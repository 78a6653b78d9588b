// Toggles demo (awful-sse SSE + Ajax): POST flips a box; the `toggles` event redraws every tab.
import { authHeaders, element, messageOf, prependBounded, showProblem, startDemo, timeOfDay } from './sse-demo.js';

const boxes = {
  one: document.getElementById('box-one'),
  two: document.getElementById('box-two'),
};
const log = document.getElementById('log');

/** Draws `{ one, two }`; ignores anything that is not two booleans (event data is untrusted). */
function draw(state) {
  for (const [name, box] of Object.entries(boxes)) {
    const value = state[name];
    if (typeof value !== 'boolean') continue;
    box.textContent = `${name}: ${value}`;
    box.setAttribute('aria-pressed', String(value));
    box.dataset.value = String(value);
  }
}

function parseState(text) {
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

const started = await startDemo();
if (started) {
  const { config, source } = started;
  // Once an event has arrived it is newer than the initial GET, whatever order they land in.
  let sawEvent = false;

  source.addEventListener('toggles', (event) => {
    const state = parseState(event.data);
    const row = element('li');
    row.append(element('span', { className: 'time', text: timeOfDay() }), event.data);
    prependBounded(log, row, 100);
    if (state === undefined) return;
    sawEvent = true;
    draw(state);
  });

  for (const [name, box] of Object.entries(boxes)) {
    box.addEventListener('click', async () => {
      try {
        const response = await fetch(`/api/toggles/${name}`, {
          method: 'POST',
          headers: authHeaders(config),
        });
        if (!response.ok) {
          const answer = await response.json().catch(() => ({}));
          showProblem(`POST /api/toggles/${name} answered ${response.status}. ${answer.error ?? ''}`);
          return;
        }
        showProblem('');
        const state = await response.json();
        // With the stream open, the broadcast redraws every tab in order; drawing
        // the answer as well could undo a newer click from another tab.
        if (source.readyState !== EventSource.OPEN) draw(state);
      } catch (error) {
        showProblem(`Could not reach the page server: ${messageOf(error)}`);
      }
    });
  }

  try {
    const response = await fetch('/api/toggles', { cache: 'no-store' });
    const state = await response.json();
    if (!sawEvent) draw(state);
    for (const box of Object.values(boxes)) box.disabled = false;
  } catch (error) {
    showProblem(`Could not read the toggles: ${messageOf(error)}`);
  }
}
