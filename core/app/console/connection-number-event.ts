import type { Sse } from '../../index.js';

/**
A page adds `?announce` to its stream URL to be told which number the console gave
its connection (EventSource cannot read response headers), so the page can say
"type `close 15`" with the number `conns` shows.
*/
const ANNOUNCE_QUERY = 'announce';

/** The event type that carries the number; a client that does not listen for it never sees it. */
const CONNECTION_EVENT = 'connection';

/**
Sends `event: connection` with the connection's number as data, first thing (before
any replay), to every new connection of `stream` whose URL asks for it. No id: it is
not stored, so it is never replayed to anyone else. Returns the unsubscribe.
*/
export function announceConnectionNumbers(stream: Sse): () => void {
  return stream.subscribe((event) => {
    if (event.type !== 'connected') return;
    const query = new URL(event.connection.request.url ?? '/', 'http://localhost').searchParams;
    if (!query.has(ANNOUNCE_QUERY)) return;
    try {
      event.connection.send({ event: CONNECTION_EVENT, data: String(event.connection.id) });
    } catch {
      // It left in the same tick: there is no one to tell.
    }
  });
}
