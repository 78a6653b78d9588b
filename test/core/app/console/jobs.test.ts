import { afterEach, describe, expect, it, vi } from 'vitest';
import { createJobScheduler, type JobScheduler } from '../../../../core/app/console/jobs.js';
import { waitFor } from '../../stream/support.js';

let scheduler: JobScheduler | undefined;
afterEach(() => {
  scheduler?.stopAll();
  scheduler = undefined;
  vi.useRealTimers();
});

/** Time is the subject: a fake clock (timers, performance.now, Date) that the test moves on. */
function useFakeClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
}

/**
Ticks of jobs a and b, and how many ticks ran in a callback that had already ticked
another job (a microtask marks the end of each timer callback).
*/
function tickRecorder(): {
  runs: { a: number; b: number };
  tick: (name: 'a' | 'b') => () => void;
  shared: () => number;
} {
  let inCallback = false;
  let sharedTicks = 0;
  const runs = { a: 0, b: 0 };
  const tick = (name: 'a' | 'b') => () => {
    runs[name] += 1;
    if (inCallback) sharedTicks += 1;
    inCallback = true;
    queueMicrotask(() => {
      inCallback = false;
    });
  };
  return { runs, tick, shared: () => sharedTicks };
}

describe('job scheduler', () => {
  it('ticks jobs due together in one callback, so their sends share one write per connection', async () => {
    scheduler = createJobScheduler(Date.now);
    const { runs, tick, shared } = tickRecorder();
    scheduler.start(30, 'a', tick('a'));
    scheduler.start(30, 'b', tick('b'));
    await waitFor(() => runs.a >= 3 && runs.b >= 3, 'three ticks of each job');
    // Every tick of b that came with a tick of a ran in the same callback.
    expect(shared()).toBeGreaterThanOrEqual(3);
  });

  it('lines up jobs of one interval started apart: they tick in the same callbacks', async () => {
    useFakeClock();
    scheduler = createJobScheduler(Date.now);
    const { runs, tick, shared } = tickRecorder();
    scheduler.start(40, 'a', tick('a'));
    // Started 15 ms later: on its own beat it would tick 15 ms after a, every time.
    await vi.advanceTimersByTimeAsync(15);
    scheduler.start(40, 'b', tick('b'));
    await vi.advanceTimersByTimeAsync(200);
    expect(runs.b).toBeGreaterThanOrEqual(4);
    // Every tick of b came in the callback that ticked a.
    expect(shared()).toBe(runs.b);
  });

  it('numbers ticks from 1 in order, lists jobs, and lets a job stop itself', () => {
    useFakeClock();
    scheduler = createJobScheduler(Date.now);
    const seen: number[] = [];
    const job = scheduler.start(10, 'send --data "{n}"', (n) => {
      seen.push(n);
      if (n === 3) scheduler?.stop(job.id);
    });
    expect(scheduler.list().map((j) => [j.id, j.source])).toEqual([[1, 'send --data "{n}"']]);
    vi.advanceTimersByTime(29);
    expect(seen).toEqual([1, 2]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual([1, 2, 3]);
    expect(scheduler.list()).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('keeps its beat: ticks fall due at start + k × interval', () => {
    useFakeClock();
    scheduler = createJobScheduler(Date.now);
    const at: number[] = [];
    const start = performance.now();
    scheduler.start(100, 'beat', () => at.push(performance.now() - start));
    vi.advanceTimersByTime(350);
    expect(at).toEqual([100, 200, 300]);
    expect(scheduler.list()[0]?.runs).toBe(3);
  });

  it('stops all jobs and reports how many', () => {
    scheduler = createJobScheduler(Date.now);
    scheduler.start(1000, 'a', () => undefined);
    scheduler.start(1000, 'b', () => undefined);
    expect(scheduler.stopAll()).toBe(2);
    expect(scheduler.stop(1)).toBe(false);
    expect(scheduler.list()).toEqual([]);
  });
  it('waits a gap longer than a timer can hold (2^31 - 1 ms) in steps, without a TimeoutOverflowWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(`${warning.name}: ${warning.message}`);
    };
    process.on('warning', onWarning);
    try {
      scheduler = createJobScheduler(Date.now);
      let ticks = 0;
      scheduler.startTimeline(2 ** 31 + 5000, 'replay far.jsonl', () => {
        ticks += 1;
        return undefined;
      });
      // Node emits the warning on the next tick after the timer is made; two turns of the loop see it.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
      expect(ticks).toBe(0);
      expect(scheduler.list()).toHaveLength(1);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('ticks a far-off timeline job once, when it is due', () => {
    useFakeClock();
    scheduler = createJobScheduler(Date.now);
    const ticks: number[] = [];
    scheduler.startTimeline(2 ** 32 + 5000, 'replay far.jsonl', (n) => {
      ticks.push(n);
      return undefined;
    });
    vi.advanceTimersByTime(2 ** 32 + 4999);
    expect(ticks).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ticks).toEqual([1]);
    expect(scheduler.list()).toEqual([]);
  });
});
