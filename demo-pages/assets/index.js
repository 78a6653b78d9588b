// Index: checks the stream works by counting the plain messages it receives.
import { startDemo } from './sse-demo.js';

const count = document.getElementById('event-count');
const last = document.getElementById('last-event');

const started = await startDemo();
if (started) {
  let received = 0;
  started.source.addEventListener('message', (event) => {
    received += 1;
    count.textContent = String(received);
    last.textContent = event.data;
  });
}
