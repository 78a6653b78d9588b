import type { ConnsCommand } from '../commands/conns.js';
import { connectionRows } from '../format.js';
import type { LogRecord } from '../log-records.js';
import type { ProxyStreamInfo } from '../../proxy/types.js';
import { asConnection } from './as-connection.js';
import type { ProxyCommandModule } from './proxy-module.js';

/** A stream's row as a record (`--json`): the numbers the table adds up, held bytes apart. */
function connRecord(stream: ProxyStreamInfo): LogRecord {
  return {
    type: 'proxy-conn',
    conn: stream.id,
    path: stream.path,
    events: stream.events,
    bytes: stream.bytes,
    bufferedBytes: stream.bufferedBytes,
    heldBytes: stream.heldBytes,
    upstreamPaused: stream.upstreamPaused,
    faults: stream.faults,
  };
}

export const proxyConnsCommand: ProxyCommandModule<ConnsCommand> = {
  name: 'conns',
  overview: [['conns', 'list the proxied streams (and requests a limit holds)']],
  details: [
    'One row per proxied stream: its number, address, browser, path (with its own faults), the Last-Event-ID the browser sent, when it opened, events and bytes that reached the browser, and bytes not there yet (buffered in its socket, or held by `pause`, `delay` or `buffer`). While `limit` is on, a last line says how many stream requests it holds with no answer.',
    'With --json each row is a `proxy-conn` record (`heldBytes` and `bufferedBytes` apart, `upstreamPaused`) and the limit line a `proxy-limit` record (`limit`, `waiting`).',
  ],
  runs: ['conns'],
  run(_command, { proxy, emit, now, viewWidth }) {
    const streams = proxy.streams();
    const [first, ...rows] = connectionRows(streams.map(asConnection), now(), viewWidth());
    // The table's first line is its heading, or "no connections" when there is no row.
    if (first !== undefined) emit('output', first);
    rows.forEach((row, index) => {
      const stream = streams[index];
      emit('output', row, stream === undefined ? undefined : connRecord(stream));
    });
    const { limit } = proxy.shaping;
    if (limit === 0) return;
    const { waiting } = proxy;
    emit(
      'output',
      `limit ${limit}: ${waiting} stream request${waiting === 1 ? '' : 's'} held with no answer until a stream ends`,
      { type: 'proxy-limit', limit, waiting },
    );
  },
};
