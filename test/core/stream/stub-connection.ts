import type { SseConnection } from '../../../core/stream/types.js';

/** A connection for lifecycle events built by hand (tests of wording): any use fails loudly. */
export const stubConnection: SseConnection = new Proxy({} as SseConnection, {
  get(_target, key) {
    throw new Error(`stub connection: ${String(key)} read; build the event from a real stream instead`);
  },
});
