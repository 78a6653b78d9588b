import type { IncomingMessage, ServerResponse } from 'node:http';
import { asksForStream } from './admit-request.js';

/**
`limit N`: at most N stream requests in flight at once, as a browser's connection
pool allows six per host over HTTP/1.1. One more is not refused with an error: it
waits with no answer at all, as Chromium queues it, and goes upstream once a stream
ends (its response closes). A request that gives up while waiting is forgotten.
Requests that do not ask for `text/event-stream` are never held.
*/
export interface StreamSlots {
  /** Runs `forward` now, or once a slot frees. */
  admit(req: IncomingMessage, res: ServerResponse, forward: () => void): void;
  /** 0: no limit (everything waiting goes now). */
  setLimit(limit: number): void;
  /** Requests waiting for a slot now. */
  readonly waiting: number;
}

export function createStreamSlots(): StreamSlots {
  let limit = 0;
  let inFlight = 0;
  const queue: { res: ServerResponse; forward: () => void }[] = [];

  function start(res: ServerResponse, forward: () => void): void {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      startWaiting();
    });
    forward();
  }

  function startWaiting(): void {
    while (queue.length > 0 && (limit === 0 || inFlight < limit)) {
      const next = queue.shift();
      if (next !== undefined && !next.res.destroyed) start(next.res, next.forward);
    }
  }

  return {
    admit(req, res, forward) {
      if (!asksForStream(req)) {
        forward();
        return;
      }
      if (limit === 0 || inFlight < limit) {
        start(res, forward);
        return;
      }
      const entry = { res, forward };
      queue.push(entry);
      res.once('close', () => {
        const at = queue.indexOf(entry);
        if (at >= 0) queue.splice(at, 1);
      });
    },
    setLimit(next) {
      limit = next;
      startWaiting();
    },
    get waiting() {
      return queue.length;
    },
  };
}
