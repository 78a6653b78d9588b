import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser-suite.js';

// The limits page in a real Chromium over HTTP/1.1: while streams 7 and 8 wait in
// CONNECTING, the console's log (not only the page) says why: the 6-connection rule.

const suite = useBrowserSuite();

describe('the limits page, seen from the console', () => {
  it('logs which streams wait and the 6-connections-per-host rule', async () => {
    const running = await suite.startConsole();
    const context = await suite.newContext();
    const tab = await context.newPage();
    await tab.goto(new URL('limits', running.pagesUrl).href, { waitUntil: 'load', timeout: 30_000 });
    const note = await running.waitForRecord('the console note', (r) => r.type === 'connection-limit', {
      timeoutMs: 20_000,
    });
    expect(String(note.text)).toMatch(
      /^\/limits opened 6 of its 8 streams; streams 7 and 8 have not arrived 3 s later: that browser holds 6 streams, and over HTTP\/1\.1 a browser opens at most 6 connections per host/,
    );
    expect(note).toMatchObject({ path: '/limits', streams: 6 });
    expect(running.recordsOfType('connected')).toHaveLength(6);
  });
});
