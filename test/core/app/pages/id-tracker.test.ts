import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { findDemoPagesDir } from '../../../../core/app/pages/demo-pages-dir.js';

// The reconnect page's id bookkeeping is plain browser JavaScript with no DOM, so
// the same file the browser loads is checked here.
interface TrackResult {
  kind: 'first' | 'next' | 'gap' | 'duplicate' | 'out-of-order' | 'no-id' | 'not-a-number';
  id?: number;
  missing?: [number, number];
  resumedAfter?: number;
}
interface Summary {
  received: number;
  reconnects: number;
  resumes: number;
  gaps: number;
  duplicates: number;
  maxId: number | undefined;
  ranges: [number, number][];
  verdict: 'waiting' | 'ok' | 'gap' | 'duplicate';
}
interface IdTracker {
  noteReconnect(): string;
  track(lastEventId: string, data: string): TrackResult;
  summary(): Summary;
}
interface IdTrackerModule {
  createIdTracker(): IdTracker;
  formatRanges(ranges: [number, number][], limit?: number): string;
}

let mod: IdTrackerModule;
beforeAll(async () => {
  const file = join(findDemoPagesDir(), 'assets', 'id-tracker.js');
  mod = (await import(pathToFileURL(file).href)) as IdTrackerModule;
});

/** Feeds ids 1..n as "tick N" events. */
function feed(tracker: IdTracker, from: number, to: number): TrackResult[] {
  const results: TrackResult[] = [];
  for (let id = from; id <= to; id += 1) results.push(tracker.track(String(id), `tick ${id}`));
  return results;
}

describe('reconnect page id tracker', () => {
  it('waits before any event', () => {
    expect(mod.createIdTracker().summary().verdict).toBe('waiting');
  });

  it('accepts consecutive ids across a reconnect and reports the clean resume', () => {
    const tracker = mod.createIdTracker();
    const before = feed(tracker, 1, 10);
    expect(before.map((result) => result.kind)).toEqual(['first', ...Array<string>(9).fill('next')]);
    expect(tracker.noteReconnect()).toBe('10');
    const [resumed, ...rest] = feed(tracker, 11, 20);
    expect(resumed).toEqual({ kind: 'next', id: 11, resumedAfter: 10 });
    expect(rest.every((result) => result.resumedAfter === undefined)).toBe(true);
    expect(tracker.summary()).toEqual({
      received: 20,
      reconnects: 1,
      resumes: 1,
      gaps: 0,
      duplicates: 0,
      maxId: 20,
      ranges: [[1, 20]],
      verdict: 'ok',
    });
  });

  it('flags a gap with the missing ids', () => {
    const tracker = mod.createIdTracker();
    feed(tracker, 1, 5);
    tracker.noteReconnect();
    expect(tracker.track('9', 'tick 9')).toEqual({ kind: 'gap', id: 9, missing: [6, 8] });
    const summary = tracker.summary();
    expect(summary.verdict).toBe('gap');
    expect(summary.ranges).toEqual([
      [1, 5],
      [9, 9],
    ]);
    expect(mod.formatRanges(summary.ranges)).toBe('1–5, 9');
  });

  it('flags events replayed twice after a reconnect', () => {
    const tracker = mod.createIdTracker();
    feed(tracker, 1, 10);
    tracker.noteReconnect();
    expect(tracker.track('10', 'tick 10').kind).toBe('duplicate');
    tracker.noteReconnect();
    expect(tracker.track('7', 'tick 7').kind).toBe('duplicate');
    expect(tracker.summary()).toMatchObject({ duplicates: 2, verdict: 'duplicate' });
  });

  it('treats a repeated lastEventId outside a reconnect as an event without an id field', () => {
    const tracker = mod.createIdTracker();
    feed(tracker, 1, 3);
    expect(tracker.track('3', 'sent without --id')).toEqual({ kind: 'no-id', id: 3 });
    expect(tracker.track('4', 'tick 4').kind).toBe('next');
    expect(tracker.summary()).toMatchObject({ duplicates: 0, gaps: 0, verdict: 'ok' });
  });

  it('after a reconnect, the same id with other data is an id-less event, not a duplicate', () => {
    const tracker = mod.createIdTracker();
    feed(tracker, 1, 3);
    tracker.noteReconnect();
    expect(tracker.track('3', 'something else').kind).toBe('no-id');
    expect(tracker.summary().duplicates).toBe(0);
  });

  it('handles streams with no ids and non-numeric ids', () => {
    const tracker = mod.createIdTracker();
    expect(tracker.noteReconnect()).toBe('');
    expect(tracker.track('', 'plain').kind).toBe('no-id');
    expect(tracker.track('abc', 'x').kind).toBe('not-a-number');
    expect(tracker.summary()).toMatchObject({ received: 2, maxId: undefined, verdict: 'ok' });
  });

  it('starts from whatever id the replay log begins with', () => {
    const tracker = mod.createIdTracker();
    expect(tracker.track('500', 'tick 500').kind).toBe('first');
    expect(tracker.summary().verdict).toBe('ok');
  });

  it('merges ranges when a missing id turns up late', () => {
    const tracker = mod.createIdTracker();
    feed(tracker, 1, 3);
    tracker.track('5', 'tick 5');
    expect(tracker.track('4', 'tick 4').kind).toBe('out-of-order');
    expect(tracker.summary().ranges).toEqual([[1, 5]]);
  });

  it('formats long range lists from the newest end', () => {
    const ranges: [number, number][] = Array.from({ length: 30 }, (_, i) => [i * 10, i * 10 + 1]);
    const text = mod.formatRanges(ranges, 2);
    expect(text).toBe('…, 280–281, 290–291');
    expect(mod.formatRanges([])).toBe('none');
  });
});
