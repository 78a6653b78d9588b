import { request, type ClientRequest } from 'node:http';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConsoleController } from '../../core/app/console/create-console-controller.js';
import type { ConsoleController } from '../../core/app/console/types.js';
import { startSseServer, type SseServer } from '../../core/http/sse-server.js';
import { createSse } from '../../core/stream/create-sse.js';
import type { Sse } from '../../core/stream/types.js';
import { App } from '../../ui/app.js';
import { waitForFrame, waitForInputReady, type RenderedApp } from './helpers.js';

// Counts how often the panes lay out their rows: the pane functions stay the real ones.
const laidOut = vi.hoisted(() => ({ connections: 0, history: 0 }));
vi.mock('../../ui/panes/pane-rows.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../ui/panes/pane-rows.js')>();
  return {
    ...real,
    connectionPaneRows: (...args: Parameters<typeof real.connectionPaneRows>) => {
      laidOut.connections += 1;
      return real.connectionPaneRows(...args);
    },
    historyPaneRows: (...args: Parameters<typeof real.historyPaneRows>) => {
      laidOut.history += 1;
      return real.historyPaneRows(...args);
    },
  };
});

let sse: Sse;
let server: SseServer;
let controller: ConsoleController;
let app: RenderedApp | undefined;
const clients: ClientRequest[] = [];

beforeEach(async () => {
  sse = createSse({ heartbeatMs: 0 });
  server = await startSseServer(0, sse, { host: '127.0.0.1' });
  controller = createConsoleController({
    sse,
    sseUrl: server.url,
    pagesUrl: 'http://127.0.0.1:8080/',
    stopServers: () => server.stop(),
  });
});

afterEach(async () => {
  app?.unmount();
  app?.cleanup();
  app = undefined;
  for (const client of clients.splice(0)) client.destroy();
  await controller.dispose();
  await server.stop();
  sse.stop();
});

function openStream(): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = request(new URL('events', server.url), { headers: { accept: 'text/event-stream' } });
    clients.push(client);
    client.once('response', (response) => {
      response.resume();
      resolve();
    });
    client.once('error', reject);
    client.end();
  });
}

describe('a keystroke redraws the prompt, not the panes', () => {
  it('lays out the connection and event rows again only when a frame brings news, not per key typed', async () => {
    for (let index = 0; index < 3; index += 1) await openStream();
    controller.execute('send --data one --id');
    app = render(<App controller={controller} colors={false} frameMs={10} />);
    await waitForFrame(app, (frame) => frame.includes('Connections (3)') && frame.includes('1 stored'));
    await waitForInputReady(app);
    const before = { ...laidOut };
    const typed = 'abcdefgh';
    for (let index = 1; index <= typed.length; index += 1) {
      app.stdin.write(typed.charAt(index - 1));
      await waitForFrame(app, `› ${typed.slice(0, index)}`);
    }
    // Eight keys, eight echoes; the panes' rows at most once more (the once-a-second
    // refresh of ages may fall inside the window), not once per key.
    expect(laidOut.connections - before.connections).toBeLessThanOrEqual(1);
    expect(laidOut.history - before.history).toBeLessThanOrEqual(1);
  });
});
