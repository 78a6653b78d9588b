import { describe, expect, it } from 'vitest';
import { startConsole, type RunningConsole } from '../../../../core/app/console/start-console.js';
import type { LogEntry } from '../../../../core/app/console/types.js';
import { fetchOnce, openEventSource, openRawStream, useCleanup, waitFor } from '../../stream/support.js';

// Channels in the console: /events/NAME, send --channel, history --channel, conns, close across channels.

const cleanup = useCleanup();

async function start(): Promise<{ running: RunningConsole; log: LogEntry[]; channelUrl: (name: string) => string }> {
  const running = await startConsole({ ssePort: 0, pagePort: 0, heartbeatMs: 0 });
  cleanup(() => running.controller.dispose());
  const log: LogEntry[] = [];
  running.controller.onLog((entry) => log.push(entry));
  return { running, log, channelUrl: (name) => `${running.sseUrl}/${name}` };
}

describe('console channels', () => {
  it('sends on a channel only to its clients, with its own replay log and ids', async () => {
    const { running, log, channelUrl } = await start();
    const { controller } = running;
    controller.execute('send --channel news --id "news one"');
    controller.execute('send --channel news --id "news two"');
    controller.execute('send --id "main one"');
    const news = openEventSource(channelUrl('news'), cleanup);
    const weather = openEventSource(channelUrl('weather'), cleanup);
    const main = openEventSource(running.sseUrl, cleanup);
    await waitFor(() => news.data().length === 2 && main.data().length === 1, 'the replays');
    expect(news.data()).toEqual(['news one', 'news two']);
    expect(news.messages.map((m) => m.lastEventId)).toEqual(['1', '2']);
    expect(main.data()).toEqual(['main one']);
    await waitFor(() => controller.snapshot().connections.length === 3, 'three connections');

    controller.execute('send --channel weather "sunny"');
    await waitFor(() => weather.data().length === 1, 'the weather event');
    expect(news.data()).toHaveLength(2);
    expect(main.data()).toHaveLength(1);
    const sentOnWeather = log.find((e) => e.kind === 'send' && e.fields?.channel === 'weather');
    expect(sentOnWeather?.text).toMatch(/^\[weather\] sent "sunny" to 1 connection/);

    // Connection numbers are shared, so conns lists each once with its channel.
    expect(
      controller
        .snapshot()
        .connections.map((c) => c.channel ?? 'main')
        .sort(),
    ).toEqual(['main', 'news', 'weather']);
    controller.execute('conns');
    const rows = log.filter((e) => e.kind === 'output').map((e) => e.text);
    expect(rows.find((row) => row.startsWith('CONN'))).toMatch(/^CONN +CHANNEL +FROM +PATH/);
    expect(rows.some((row) => /^#\d+ +news +127\.0\.0\.1:\d+ +\/events\/news /.test(row))).toBe(true);

    const from = log.length;
    controller.execute('history --channel news');
    const shown = log
      .slice(from)
      .filter((e) => e.kind === 'output')
      .map((e) => e.text);
    expect(shown.slice(1).map((row) => row.split(/ +/)[0])).toEqual(['1', '2']);
    expect(shown.join('\n')).toContain('news two');
    expect(shown.join('\n')).not.toContain('main one');
    controller.execute('history clear --channel news');
    expect(log.at(-1)?.text).toBe('history of channel news cleared (2 events); its next id is still 3');
    expect(controller.snapshot().history.map((r) => r.data)).toEqual(['main one']);
    controller.execute('history --channel sports');
    expect(log.at(-1)).toMatchObject({
      kind: 'error',
      text: expect.stringMatching(/^no channel "sports" yet \(channels: news, weather\)/) as unknown,
    });
  });

  it('sends --to and closes a connection on any channel by its number', async () => {
    const { running, log, channelUrl } = await start();
    const { controller } = running;
    const news = openEventSource(channelUrl('news'), cleanup);
    const main = openEventSource(running.sseUrl, cleanup);
    await waitFor(() => controller.snapshot().connections.length === 2, 'two connections');
    const newsConn = controller.snapshot().connections.find((c) => c.channel === 'news');
    if (newsConn === undefined) throw new Error('no news connection');
    controller.execute(`send --to ${newsConn.id} "just you"`);
    await waitFor(() => news.data().length === 1, 'the direct event');
    expect(main.data()).toEqual([]);
    controller.execute(`send --channel weather --to ${newsConn.id} "wrong channel"`);
    expect(log.at(-1)?.text).toBe(`no connection #${newsConn.id} on channel weather; \`conns\` lists the live ones`);
    controller.execute(`close ${newsConn.id}`);
    await waitFor(() => log.some((e) => e.kind === 'disconnect' && e.fields?.channel === 'news'), 'the news hang-up');
    expect(log.filter((e) => e.kind === 'error')).toHaveLength(1);
  });

  it('sends retry to the main stream and to every channel, so a demo on its own channel gets it', async () => {
    const { running, channelUrl } = await start();
    const port = Number(new URL(running.sseUrl).port);
    const channel = openRawStream(port, { path: new URL(channelUrl('reconnect')).pathname, cleanup });
    const main = openRawStream(port, { path: '/events', cleanup });
    await waitFor(() => running.controller.snapshot().connections.length === 2, 'two connections');
    running.controller.execute('retry 500');
    await channel.until((stream) => stream.retries.includes(500), 'retry on the channel');
    await main.until((stream) => stream.retries.includes(500), 'retry on the main stream');
  });

  it('tells a connection that asks with ?announce its number, first, on any stream', async () => {
    const { running, log, channelUrl } = await start();
    running.controller.execute('send --channel limits --id "stored before"');
    const port = Number(new URL(running.sseUrl).port);
    const asking = openRawStream(port, {
      path: `${new URL(channelUrl('limits')).pathname}?stream=1&announce=1`,
      cleanup,
    });
    const quiet = openRawStream(port, { path: '/events/limits', cleanup });
    await asking.until((stream) => stream.events.length === 2, 'the number and the replay');
    const [announced, replayed] = asking.events;
    const id = running.controller.snapshot().connections.find((c) => c.path.includes('announce'))?.id;
    expect(announced).toMatchObject({ event: 'connection', data: String(id), id: undefined });
    expect(replayed?.data).toBe('stored before');
    await quiet.until((stream) => stream.events.length === 1, 'the replay alone');
    expect(quiet.events.map((event) => event.event)).toEqual([undefined]);
    const main = openRawStream(port, { path: '/events?announce', cleanup });
    await main.until((stream) => stream.events.length === 1, 'the number on the main stream');
    expect(main.events[0]?.event).toBe('connection');
    // Not stored: nobody else is ever replayed it.
    expect(running.controller.snapshot().history).toEqual([]);
    expect(log.filter((e) => e.kind === 'error')).toEqual([]);
  });

  it('warns of the connection limit when a browser holds 6 streams on channels and a 7th page waits', async () => {
    const { running, log, channelUrl } = await start();
    const streams = ['clock', 'reconnect', 'custom-event', 'limits', 'inspector', 'clock'].map((name) =>
      openEventSource(channelUrl(name), cleanup),
    );
    await waitFor(() => streams.every((stream) => stream.opened === 1), 'six channel streams');
    // The seventh tab's page loads, and its stream never comes (the browser queues it).
    const page = await fetch(new URL('clock', running.pagesUrl));
    expect(page.status).toBe(200);
    await waitFor(
      () => log.some((entry) => entry.fields?.type === 'connection-limit'),
      'the connection-limit note',
      6000,
    );
    expect(log.find((entry) => entry.fields?.type === 'connection-limit')?.text).toMatch(
      /^\/clock loaded 3 s ago but its stream has not arrived: that browser already holds 6 streams/,
    );
  });

  it('refuses bad channel names in commands and on the wire', async () => {
    const { running, log } = await start();
    running.controller.execute('send --channel "a b" hi');
    expect(log.at(-1)?.text).toMatch(/^send: --channel: a channel name is 1 to 64 letters, digits, - or _/);
    running.controller.execute('history save x.json --channel news');
    expect(log.at(-1)?.text).toMatch(/^history: save works on the main log only; leave out --channel/);
    const port = Number(new URL(running.sseUrl).port);
    const answer = await fetchOnce(port, { path: '/events/..%2Fetc' });
    expect(answer.status).toBe(404);
  });
});
