import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { connectionRows } from '../../core/app/console/format.js';
import { describeLifecycle } from '../../core/app/console/lifecycle-log.js';
import type { ConnectionInfo } from '../../core/stream/types.js';
import { stubConnection } from '../core/stream/stub-connection.js';
import { emptyConnectionsHint } from '../../ui/panes/connections-pane.js';
import { connectionPaneRows } from '../../ui/panes/pane-rows.js';
import { connectionInfo } from './connection-info.js';
import { consoleScreenFor } from './console-screen-text.js';

// Each connection's protocol (h1/h2, --http2): in the connections pane, `conns`,
// the `connected` record of --json, and the curl hint for an https stream.

function connection(id: number, protocol: 'h1' | 'h2', overrides: Partial<ConnectionInfo> = {}): ConnectionInfo {
  return connectionInfo(id, { path: '/events?stream=3', protocol, ...overrides });
}

describe('the connections pane with HTTP/2 connections', () => {
  it('shows a proto column at 120 columns', () => {
    const pane = connectionPaneRows([connection(1, 'h2'), connection(2, 'h1')], 1_012_000, 120, 8);
    expect(pane.header).toMatch(/^# +proto +remote +client +path +last-id +age +events +buffered$/);
    expect(pane.rows[0]?.text).toMatch(/^#1 +h2 +127\.0\.0\.1:50001 +Firefox 128 /);
    expect(pane.rows[1]?.text).toMatch(/^#2 +h1 +127\.0\.0\.1:50002 /);
  });

  it('keeps it at 80 columns in place of buffered (the SLOW flag stays); every row fits', () => {
    const pane = connectionPaneRows([connection(1, 'h2', { slow: true })], 1_012_000, 80, 8);
    expect(pane.header).toMatch(/^# +proto +client +path +last-id +age +events$/);
    expect(pane.rows[0]?.text).toMatch(/^#1 +h2 +Firefox 128 +\/events\?stream=3 +- +12s +3 +SLOW$/);
    for (const text of [pane.header, pane.rows[0]?.text ?? '']) expect(stringWidth(text)).toBeLessThanOrEqual(80);
  });

  it('leaves the HTTP/1.1 columns as they were when no connection is h2', () => {
    const pane = connectionPaneRows([connection(1, 'h1')], 1_012_000, 80, 8);
    expect(pane.header).toMatch(/^# +client +path +last-id +age +events +buffered$/);
  });
});

describe('conns and the connected record', () => {
  it('conns has a PROTO column', () => {
    const rows = connectionRows([connection(1, 'h2'), connection(2, 'h1')], 1_012_000);
    expect(rows[0]).toMatch(/^CONN +FROM +PATH +PROTO +LAST-ID/);
    expect(rows[1]).toMatch(/^#1 +127\.0\.0\.1:50001 +\/events\?stream=3 +h2 +- /);
    expect(rows[2]).toMatch(/^#2 +127\.0\.0\.1:50002 +\/events\?stream=3 +h1 +- /);
  });

  it('the connected record carries the protocol, and the log line says HTTP/2', () => {
    const [line] = describeLifecycle(
      { type: 'connected', info: connection(4, 'h2'), connection: stubConnection },
      1_000_000,
      false,
    );
    expect(line?.fields).toMatchObject({ type: 'connected', conn: 4, protocol: 'h2' });
    expect(line?.text).toBe('#4 connected from 127.0.0.1:50004 /events?stream=3 over HTTP/2');
  });
});

describe('the curl hint for an https stream', () => {
  it('adds -k (the certificate is self-signed)', () => {
    const lines = emptyConnectionsHint(consoleScreenFor('https://127.0.0.1:8122/events').connections, 120);
    expect(lines.join('\n')).toContain('curl -kN https://127.0.0.1:8122/events');
  });
});
