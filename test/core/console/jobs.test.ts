import { afterEach, describe, expect, it } from 'vitest';
import { createJobScheduler, type JobScheduler } from '../../../core/console/jobs.js';
import { waitFor } from '../stream/support.js';

let scheduler: JobScheduler | undefined;
afterEach(() => {
  scheduler?.stopAll();
  scheduler = undefined;
});

describe('job scheduler', () => {
  it('ticks jobs due together in one callback, so their sends share one write per connection', async () => {
    scheduler = createJobScheduler(Date.now);
    let inCallback = false;
    let shared = 0;
    const runs = { a: 0, b: 0 };
    const tick = (name: 'a' | 'b') => () => {
      runs[name] += 1;
      if (inCallback) shared += 1;
      inCallback = true;
      queueMicrotask(() => {
        inCallback = false;
      });
    };
    scheduler.start(30, 'a', tick('a'));
    scheduler.start(30, 'b', tick('b'));
    await waitFor(() => runs.a >= 3 && runs.b >= 3, 'three ticks of each job');
    // Every tick of b that came with a tick of a ran in the same callback.
    expect(shared).toBeGreaterThanOrEqual(3);
  });

  it('lines up jobs of one interval started apart: they tick in the same callbacks', async () => {
    scheduler = createJobScheduler(Date.now);
    let inCallback = false;
    let shared = 0;
    const runs = { a: 0, b: 0 };
    const tick = (name: 'a' | 'b') => () => {
      runs[name] += 1;
      if (inCallback) shared += 1;
      inCallback = true;
      queueMicrotask(() => {
        inCallback = false;
      });
    };
    scheduler.start(40, 'a', tick('a'));
    // Started 15 ms later: on its own beat it would tick 15 ms after a, every time.
    await new Promise((resolve) => setTimeout(resolve, 15));
    scheduler.start(40, 'b', tick('b'));
    await waitFor(() => runs.b >= 4, 'four ticks of b');
    // Every tick of b came in the callback that ticked a.
    expect(shared).toBe(runs.b);
  });

  it('numbers ticks from 1 in order, lists jobs, and lets a job stop itself', async () => {
    scheduler = createJobScheduler(Date.now);
    const seen: number[] = [];
    const job = scheduler.start(10, 'send --data "{n}"', (n) => {
      seen.push(n);
      if (n === 3) scheduler?.stop(job.id);
    });
    expect(scheduler.list().map((j) => [j.id, j.source])).toEqual([[1, 'send --data "{n}"']]);
    await waitFor(() => seen.length === 3 && scheduler?.list().length === 0, 'the job to stop itself');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([1, 2, 3]);
  });

  it('stops all jobs and reports how many', () => {
    scheduler = createJobScheduler(Date.now);
    scheduler.start(1000, 'a', () => undefined);
    scheduler.start(1000, 'b', () => undefined);
    expect(scheduler.stopAll()).toBe(2);
    expect(scheduler.stop(1)).toBe(false);
    expect(scheduler.list()).toEqual([]);
  });
});
