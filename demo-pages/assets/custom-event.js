// Named-events demo (clack-sse): my-custom-event and plain messages, side by side.
import { element, prependBounded, startDemo, timeOfDay } from './sse-demo.js';

/** A handler that lists each event in `listId` and counts it in `countId`. */
function column(listId, countId) {
  const list = document.getElementById(listId);
  const count = document.getElementById(countId);
  let received = 0;
  return (event) => {
    received += 1;
    count.textContent = String(received);
    const row = element('li', { data: { type: event.type, id: event.lastEventId } });
    row.append(element('span', { className: 'time', text: timeOfDay() }), event.data);
    if (event.lastEventId !== '') {
      row.append(element('span', { className: 'flag', text: `id ${event.lastEventId}`, data: { flag: 'id' } }));
    }
    prependBounded(list, row);
  };
}

// Its own channel, /events/custom-event: nothing sent for another demo reaches it or is replayed to it.
const started = await startDemo({ channel: 'custom-event' });
if (started) {
  started.source.addEventListener('my-custom-event', column('custom-log', 'custom-count'));
  started.source.onmessage = column('message-log', 'message-count');
}
