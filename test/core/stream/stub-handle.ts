import type { SseConnection } from '../../../core/stream/types.js';

/** A connection handle for lifecycle events built by hand (tests of wording): any use fails loudly. */
export const stubHandle: SseConnection = new Proxy({} as SseConnection, {
  get(_target, key) {
    throw new Error(`stub handle: ${String(key)} read; build the event from a real stream instead`);
  },
});
