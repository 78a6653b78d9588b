import type { ConnectionInfo } from '../../core/stream/types.js';

/** A live connection as the panes and `conns` see it: Firefox on 127.0.0.1, 12 s old at 1,012,000. */
export function connectionInfo(id: number, overrides: Partial<ConnectionInfo> = {}): ConnectionInfo {
  return {
    id,
    remoteAddress: '127.0.0.1',
    remotePort: 50_000 + id,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
    path: '/events',
    lastEventIdRequested: undefined,
    connectedAt: 1_000_000,
    eventsSent: 3,
    bytesSent: 120,
    bufferedBytes: 0,
    slow: false,
    ...overrides,
  };
}
