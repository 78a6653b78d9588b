// Textarea demo (Racket SSE): each event's data goes on top of a read-only textarea.
import { startDemo } from './sse-demo.js';

// Keeps a long-running tab responsive; the newest events are at the top anyway.
const MAX_CHARS = 200_000;

const textArea = document.getElementById('events');
const count = document.getElementById('count');

const started = await startDemo();
if (started) {
  let received = 0;
  started.source.onmessage = (event) => {
    received += 1;
    count.textContent = String(received);
    // `value`, not HTML: event data is shown exactly as sent.
    textArea.value = `${event.data}\n${textArea.value}`.slice(0, MAX_CHARS);
  };
}
