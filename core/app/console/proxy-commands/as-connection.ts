import type { ProxyStreamInfo } from '../../proxy/types.js';
import type { ConnectionInfo } from '../../../index.js';

/**
A proxied stream as the connections pane and `conns` show a connection. The path is
the one the browser asked for; the app's origin is on the status line (`upstream`).
*/
export function asConnection(stream: ProxyStreamInfo): ConnectionInfo {
  return {
    id: stream.id,
    remoteAddress: stream.remoteAddress,
    remotePort: stream.remotePort,
    userAgent: stream.userAgent,
    path: `${stream.path}${stream.faults === '' ? '' : ` [${stream.faults}]`}`,
    lastEventIdRequested: stream.lastEventIdSent,
    connectedAt: stream.openedAt,
    eventsSent: stream.events,
    bytesSent: stream.bytes,
    bufferedBytes: stream.bufferedBytes + stream.heldBytes,
    slow: stream.bufferedBytes > 0,
  };
}
