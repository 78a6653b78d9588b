import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { ConnectionInfo } from '../../core/stream/types.js';
import { ConnectionsPane } from '../../ui/panes/connections-pane.js';
import { consoleScreenFor } from './console-screen-text.js';
import { frameText } from './helpers.js';

// A thousand connections: the pane stays a few rows, and says what it leaves out.

function connection(id: number, slow = false): ConnectionInfo {
  return {
    id,
    remoteAddress: '127.0.0.1',
    remotePort: 40_000 + id,
    userAgent: 'load/1.0',
    path: '/events',
    lastEventIdRequested: undefined,
    connectedAt: 0,
    eventsSent: 10,
    bytesSent: 100,
    bufferedBytes: slow ? 70_000 : 0,
    slow,
  };
}

describe('the connections pane at 1,000 connections', () => {
  it('shows the newest rows and one summary line, with the hidden slow ones counted', () => {
    const connections = Array.from({ length: 1000 }, (_, index) => connection(index + 1, index % 100 === 0));
    const rendered = render(
      <ConnectionsPane
        connections={connections}
        now={5000}
        width={80}
        maxRows={8}
        text={consoleScreenFor('http://127.0.0.1:8122/events').connections}
      />,
    );
    const lines = frameText(rendered).split('\n');
    rendered.unmount();
    // Title, header, 8 rows, the summary.
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('Connections (1000)');
    expect(lines[2]).toMatch(/^#993 /);
    expect(lines[9]).toMatch(/^#1000 /);
    expect(lines[10]).toBe('  … 992 more (older), 10 of them SLOW; `conns` lists all');
  });
});
