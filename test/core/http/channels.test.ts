import { describe, expect, it } from 'vitest';
import { channelsFrom, startSseServer } from '../../../core/http/sse-server.js';
import { createSse } from '../../../core/stream/create-sse.js';
import { fetchOnce, openRawStream, useCleanup, waitFor } from '../stream/support.js';

const cleanup = useCleanup();

describe('channels: several createSse() streams mounted at /events/NAME', () => {
  it('routes each channel to its own stream, replay log and ids; /events stays the main stream', async () => {
    let issued = 0;
    const connectionIds = () => ++issued;
    const main = createSse({ heartbeatMs: 0, connectionIds });
    const news = createSse({ heartbeatMs: 0, channel: 'news', connectionIds });
    const weather = createSse({ heartbeatMs: 0, channel: 'weather', connectionIds });
    cleanup(() => [main, news, weather].forEach((sse) => sse.stop()));
    const server = await startSseServer(0, main, { channels: channelsFrom({ news, weather }) });
    cleanup(() => server.stop());

    news.sendNewEvent({ data: 'news 1', id: true });
    news.sendNewEvent({ data: 'news 2', id: true });
    weather.sendNewEvent({ data: 'sunny', id: true });
    main.sendNewEvent({ data: 'main', id: true });

    const newsTab = openRawStream(server.port, { path: '/events/news', cleanup });
    const weatherTab = openRawStream(server.port, {
      path: '/events/weather',
      headers: { 'Last-Event-ID': '0' },
      cleanup,
    });
    const mainTab = openRawStream(server.port, { path: '/events', cleanup });
    await newsTab.until((s) => s.events.length === 2, 'the news replay');
    await weatherTab.until((s) => s.events.length === 1, 'the weather replay');
    await mainTab.until((s) => s.events.length === 1, 'the main replay');
    expect(newsTab.events.map((e) => [e.id, e.data])).toEqual([
      ['1', 'news 1'],
      ['2', 'news 2'],
    ]);
    expect(weatherTab.events.map((e) => [e.id, e.data])).toEqual([['1', 'sunny']]);
    expect(mainTab.events.map((e) => [e.id, e.data])).toEqual([['1', 'main']]);

    weather.sendNewEvent({ data: 'rain' });
    await weatherTab.until((s) => s.events.length === 2, 'the live weather event');
    expect(newsTab.events).toHaveLength(2);
    expect(mainTab.events).toHaveLength(1);

    // One shared counter: connection numbers never clash across channels.
    const all = [...main.connections, ...news.connections, ...weather.connections];
    expect(all.map((c) => c.id).sort()).toEqual([1, 2, 3]);
    expect(news.connections[0]).toMatchObject({ channel: 'news', path: '/events/news' });
    expect(main.connections[0]?.channel).toBeUndefined();
  });

  it('answers 404 for an unknown channel or a bad name, and without channels for any /events/NAME', async () => {
    const main = createSse({ heartbeatMs: 0 });
    const news = createSse({ heartbeatMs: 0, channel: 'news' });
    cleanup(() => [main, news].forEach((sse) => sse.stop()));
    const server = await startSseServer(0, main, { channels: channelsFrom({ news }) });
    cleanup(() => server.stop());
    const plain = await startSseServer(0, main);
    cleanup(() => plain.stop());

    const unknown = await fetchOnce(server.port, { path: '/events/sports' });
    expect(unknown).toMatchObject({
      status: 404,
      body: expect.stringContaining('There is no channel "sports".') as unknown,
    });
    const bad = await fetchOnce(server.port, { path: '/events/a%2Fb' });
    expect(bad.status).toBe(404);
    expect(bad.body).toContain('a channel name is 1 to 64 letters, digits, - or _');
    expect((await fetchOnce(server.port, { path: '/events/news/more' })).status).toBe(404);
    expect((await fetchOnce(plain.port, { path: '/events/news' })).status).toBe(404);
    expect(() => createSse({ channel: 'no spaces' })).toThrow(/a channel name is 1 to 64 letters/);
  });

  it('stop() ends the channel streams that came through the listener', async () => {
    const main = createSse({ heartbeatMs: 0 });
    const news = createSse({ heartbeatMs: 0, channel: 'news' });
    cleanup(() => [main, news].forEach((sse) => sse.stop()));
    const server = await startSseServer(0, main, { channels: channelsFrom({ news }) });
    const tab = openRawStream(server.port, { path: '/events/news', cleanup });
    await waitFor(() => news.connections.length === 1, 'the news connection');
    await server.stop();
    await tab.until((s) => s.closed, 'the channel stream to end');
    expect(tab.ended).toBe(true);
    expect(news.connections).toHaveLength(0);
  });
});
