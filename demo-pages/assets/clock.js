// Clock demo (awful-sse time server): shows whatever time the server pushes.
import { startDemo, timeOfDay } from './sse-demo.js';

const time = document.getElementById('time');
const via = document.getElementById('via');
const ticks = document.getElementById('ticks');
const arrived = document.getElementById('arrived');

// Its own channel, /events/clock: nothing sent for another demo reaches it or is replayed to it.
const started = await startDemo({ channel: 'clock' });
if (started) {
  let updates = 0;
  const show = (event) => {
    updates += 1;
    time.textContent = event.data;
    via.textContent = event.type;
    ticks.textContent = String(updates);
    arrived.textContent = timeOfDay();
  };
  started.source.addEventListener('tick', show);
  started.source.addEventListener('message', show);
}
