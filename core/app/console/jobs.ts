import type { JobInfo } from './types.js';

// Ticks are timed with the global `performance` (not node:perf_hooks' binding) so that a
// test's fake clock (vi.useFakeTimers) moves them too.

/** Repeating commands (`every 1s send …`), each ticking every `intervalMs`. */
export interface JobScheduler {
  start(intervalMs: number, source: string, tick: (n: number) => void): JobInfo;
  /**
  A job on its own timing (`replay`): `tick(n)` runs after `firstDelayMs`, then returns
  the delay until the next tick, or `undefined` to end the job. Listed with interval 0.
  */
  startTimeline(firstDelayMs: number, source: string, tick: (n: number) => number | undefined): JobInfo;
  stop(id: number): boolean;
  stopAll(): number;
  list(): JobInfo[];
}

interface Job {
  info: JobInfo;
  /** performance.now() at which the next tick is due. */
  dueAt: number;
  readonly tick: (n: number) => void;
  /** A timeline job's next delay, as its tick returned it (undefined: the job ends). */
  nextDelayMs?: number | undefined;
  readonly timeline?: boolean;
}

/**
Node's timers fire at whole milliseconds of a cached loop clock, which can be a
fraction behind performance.now(); a job due within this much counts as due, so a
timer that wakes "early" does not re-arm for nothing.
*/
const dueSlackMs = 1;

/**
A job keeps its own beat: ticks missed while the process was busy (a screen redraw,
a burst of connections) are made up at the next wake-up, for up to this long back;
older ones are dropped, as setInterval would drop them. Without it a 10 ms job
loses a tick to every few milliseconds of lateness, and its rate to every redraw.
*/
const catchUpMs = 250;

/**
The longest single wait: Node's timers hold a signed 32-bit delay, and a longer one is
cut to 1 ms with a TimeoutOverflowWarning, so a job hours away would wake (and warn)
every millisecond. Longer waits are made of steps of this size.
*/
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
The first tick of an `every` job: the next multiple of its interval on the monotonic
clock, within one interval from now. Beats on one grid make jobs line up: twenty
`every 10ms` jobs tick in the same callback, so each connection gets one write per
10 ms instead of up to ten (at 1,000 connections, 100,000 writes a second instead
of a million), and jobs of 10 ms and 20 ms meet every 20 ms.
*/
function nextBeat(nowMs: number, intervalMs: number): number {
  return (Math.floor(nowMs / intervalMs) + 1) * intervalMs;
}

/**
All jobs share one timer, armed for the earliest due job; every job due when it
fires ticks in that one callback. Separate interval timers would each run in their
own callback, and the stream flushes its writes after each callback (a microtask),
so twenty busy jobs would mean twenty writes per connection where one will do.
Under load, when several jobs fall due together, their sends leave as one chunk.
Ticks are due on a fixed beat (`startedAt + k × intervalMs`); see `catchUpMs`.
*/
export function createJobScheduler(now: () => number): JobScheduler {
  const jobs = new Map<number, Job>();
  let lastId = 0;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Number.POSITIVE_INFINITY;

  function arm(): void {
    let earliest = Number.POSITIVE_INFINITY;
    for (const job of jobs.values()) earliest = Math.min(earliest, job.dueAt);
    if (earliest === timerAt && timer !== undefined) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    timerAt = earliest;
    if (earliest === Number.POSITIVE_INFINITY) return;
    // A far-off job is waited for in steps: runDue finds it not yet due and arms again.
    timer = setTimeout(runDue, Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(earliest - performance.now()))));
  }

  function runDue(): void {
    timer = undefined;
    timerAt = Number.POSITIVE_INFINITY;
    const ranAt = performance.now();
    // A tick may stop jobs (its own or others'), so walk a copy and skip the stopped.
    for (const job of [...jobs.values()]) {
      if (job.dueAt > ranAt + dueSlackMs || jobs.get(job.info.id) !== job) continue;
      if (job.timeline === true) {
        runTimelineTick(job);
        continue;
      }
      const { intervalMs } = job.info;
      const missed = Math.floor(Math.max(0, ranAt - job.dueAt) / intervalMs);
      const ticks = 1 + Math.min(missed, Math.floor(catchUpMs / intervalMs));
      job.dueAt += ticks * intervalMs;
      // Further behind than the catch-up allows: the rest is dropped, the beat resumes from now.
      if (job.dueAt <= ranAt) job.dueAt = ranAt + intervalMs;
      for (let i = 0; i < ticks && jobs.get(job.info.id) === job; i += 1) {
        job.info = { ...job.info, runs: job.info.runs + 1 };
        try {
          job.tick(job.info.runs);
        } catch (error) {
          // One failing job must not stop the others or the timer; rethrown outside, like a timer's error.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    }
    arm();
  }

  /** One tick; the next is due its delay after this one was due, so timing does not drift. */
  function pendingDelay(job: Job): number | undefined {
    return job.nextDelayMs;
  }

  function runTimelineTick(job: Job): void {
    job.info = { ...job.info, runs: job.info.runs + 1 };
    job.nextDelayMs = undefined;
    try {
      job.tick(job.info.runs);
    } catch (error) {
      jobs.delete(job.info.id);
      queueMicrotask(() => {
        throw error;
      });
      return;
    }
    if (jobs.get(job.info.id) !== job) return;
    // tick() sets the delay to the next event (through the job), which the compiler cannot see.
    const nextDelayMs = pendingDelay(job);
    if (nextDelayMs === undefined) {
      jobs.delete(job.info.id);
      return;
    }
    job.dueAt += nextDelayMs;
  }

  return {
    startTimeline(firstDelayMs, source, tick) {
      const id = ++lastId;
      const job: Job = {
        info: { id, intervalMs: 0, source, runs: 0, startedAt: now() },
        dueAt: performance.now() + firstDelayMs,
        tick: (n) => {
          job.nextDelayMs = tick(n);
        },
        timeline: true,
      };
      jobs.set(id, job);
      arm();
      return job.info;
    },
    start(intervalMs, source, tick) {
      const id = ++lastId;
      const job: Job = {
        info: { id, intervalMs, source, runs: 0, startedAt: now() },
        dueAt: nextBeat(performance.now(), intervalMs),
        tick,
      };
      jobs.set(id, job);
      arm();
      return job.info;
    },
    stop(id) {
      if (!jobs.delete(id)) return false;
      arm();
      return true;
    },
    stopAll() {
      const count = jobs.size;
      jobs.clear();
      arm();
      return count;
    },
    list() {
      return [...jobs.values()].map((job) => job.info);
    },
  };
}
