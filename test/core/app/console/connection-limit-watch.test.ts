import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConnectionLimitWatch } from '../../../../core/app/console/connection-limit-watch.js';
import type { LogKind } from '../../../../core/app/console/types.js';
import { openRawStream, startTestStream, useCleanup, waitFor } from '../../stream/support.js';

// A real stream on a real port, real sockets standing in for one browser's tabs
// (same address, same user agent).

const cleanup = useCleanup();
afterEach(() => {
  vi.useRealTimers();
});
const browser = { 'User-Agent': 'Mozilla/5.0 Chrome/140.0 Safari/537.36' };

async function setUp(tabs: number, waitMs = 100) {
  const stream = await startTestStream(cleanup);
  const notes: { kind: LogKind; text: string }[] = [];
  const watch = createConnectionLimitWatch({
    sse: stream.sse,
    log: (kind, text) => notes.push({ kind, text }),
    waitMs,
  });
  cleanup(() => watch.stop());
  for (let tab = 0; tab < tabs; tab += 1) openRawStream(stream.port, { path: '/events', headers: browser, cleanup });
  await waitFor(() => stream.sse.connections.length === tabs, `${tabs} streams`);
  return { stream, notes, watch };
}

const page = { method: 'GET', path: '/textarea', status: 200, remoteAddress: '127.0.0.1' };

describe('the 6-connections-per-host watch', () => {
  it('says why when a page loaded but its stream did not come while the browser holds 6 streams', async () => {
    const { notes, watch } = await setUp(6);
    watch.pageLoaded(page);
    await waitFor(() => notes.length > 0, 'the note');
    expect(notes[0]?.kind).toBe('warn');
    expect(notes[0]?.text).toMatch(
      /^\/textarea loaded 0 s ago but its stream has not arrived: that browser already holds 6 streams, and over HTTP\/1\.1 a browser opens at most 6 connections per host/,
    );
    expect(notes[0]?.text).toContain('Close some tabs');
  });

  it('stays quiet when the stream arrives, when fewer than 6 are open, and for assets and the index', async () => {
    // The watch's wait runs on a fake clock: time is moved past it instead of slept through.
    const waitMs = 3000;
    const { stream, notes, watch } = await setUp(5, waitMs);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    watch.pageLoaded(page);
    watch.pageLoaded({ ...page, path: '/' });
    watch.pageLoaded({ ...page, path: '/assets/textarea.js' });
    vi.advanceTimersByTime(waitMs * 2);
    expect(notes).toEqual([]);
    // The sixth stream arrives after its page: nothing to explain.
    watch.pageLoaded(page);
    openRawStream(stream.port, { path: '/events', headers: browser, cleanup });
    // vi.waitFor moves the fake clock 5 ms a poll: far short of the watch's wait.
    await waitFor(() => stream.sse.connections.length === 6, 'the sixth stream');
    vi.advanceTimersByTime(waitMs * 2);
    expect(notes).toEqual([]);
  });

  it('says why the limits demo holds streams 7 and 8 in CONNECTING: the page opened 6 of its 8', async () => {
    const { stream, notes, watch } = await setUp(0);
    watch.pageLoaded({ ...page, path: '/limits' });
    for (let number = 1; number <= 6; number += 1) {
      openRawStream(stream.port, { path: `/events?stream=${number}`, headers: browser, cleanup });
    }
    await waitFor(() => stream.sse.connections.length === 6, 'six of the eight streams');
    await waitFor(() => notes.length > 0, 'the note');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.kind).toBe('warn');
    expect(notes[0]?.text).toMatch(
      /^\/limits opened 6 of its 8 streams; streams 7 and 8 have not arrived 0 s later: that browser holds 6 streams, and over HTTP\/1\.1 a browser opens at most 6 connections per host, so streams 7 and 8 stay CONNECTING until one closes\./,
    );
    expect(notes[0]?.text).toContain('--http2');
  });

  it('stays quiet when all 8 of the limits demo’s streams arrive', async () => {
    const { stream, notes, watch } = await setUp(0);
    watch.pageLoaded({ ...page, path: '/limits' });
    for (let number = 1; number <= 8; number += 1) {
      openRawStream(stream.port, { path: `/events?stream=${number}`, headers: browser, cleanup });
    }
    await waitFor(() => stream.sse.connections.length === 8, 'eight streams');
    // A tab loaded now, whose stream never comes, is checked after the limits page was:
    // its note is the first and only one.
    watch.pageLoaded(page);
    await waitFor(() => notes.length > 0, 'the textarea note');
    expect(notes.map((note) => note.text.split(' ')[0])).toEqual(['/textarea']);
  });
});
