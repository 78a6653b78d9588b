import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConsoleController, LogEntry } from '../../core/app/console/types.js';
import { sustainedFloodMs, useConsoleView } from '../../ui/use-console-view.js';

const FRAME_MS = 40;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  vi.useRealTimers();
});

/**
When each frame was taken: the view reads its clock once per frame (and once when it
mounts). Timers and the clock are Vitest's fake ones, so the answer is the hook's own
schedule, not the machine's load; React still renders on the real event loop.
Each phase logs `count` activity lines every 5 ms for `ms`; the budget admits
`perSecond` lines a second, 100 at once at most.
*/
async function frameTimes(
  perSecond: number,
  phases: readonly {
    readonly count: number;
    readonly ms: number;
    /** The phase's first line is the answer to a typed command. */
    readonly reply?: boolean;
  }[],
  /** Filled with the (fake) time each phase started. */
  starts: number[] = [],
): Promise<number[][]> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  const listeners = new Set<(entry: LogEntry) => void>();
  const controller = {
    snapshot: () => ({}),
    onLog(listener: (entry: LogEntry) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onChange: () => () => undefined,
  } as unknown as ConsoleController;
  const frames: number[] = [];
  const clock = (): number => {
    frames.push(Date.now());
    return Date.now();
  };
  function Probe() {
    const view = useConsoleView(controller, {
      frameMs: FRAME_MS,
      refreshMs: 60_000,
      budget: { perSecond, burst: 100 },
      now: clock,
    });
    return <Text>{view.log.id}</Text>;
  }
  const app = render(<Probe />);
  cleanups.push(() => app.unmount());
  for (let turn = 0; turn < 1000 && listeners.size === 0; turn += 1) {
    await new Promise((resolve) => setImmediate(resolve)); // the effect subscribes after the first render
  }
  expect(listeners.size).toBe(1);
  let seq = 0;
  const byPhase: number[][] = [];
  for (const { count, ms, reply = false } of phases) {
    frames.length = 0;
    starts.push(Date.now());
    for (let elapsed = 0; elapsed < ms; elapsed += 5) {
      for (let index = 0; index < count; index += 1) {
        seq += 1;
        const entry: LogEntry =
          reply && elapsed === 0 && index === 0
            ? { seq, time: Date.now(), kind: 'output', text: 'the answer', reply: true }
            : { seq, time: Date.now(), kind: 'send', text: `event ${seq}` };
        for (const listener of listeners) listener(entry);
      }
      vi.advanceTimersByTime(5);
    }
    byPhase.push([...frames]);
  }
  return byPhase;
}

function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((time, index) => time - (times[index] ?? time));
}

// 20 lines every 5 ms is 4,000 a second, against a budget of 2,000: lines are held back.
const flood = { count: 20, ms: 1000 };
// 1 line every 5 ms is 200 a second: the budget shows every one.
const trickle = { count: 1, ms: 1000 };

describe('the frame rate under a log flood', () => {
  it('halves while the log budget holds lines back, and comes back once it shows every line again', async () => {
    const [flooded = [], after = []] = await frameTimes(2000, [flood, trickle]);
    // The first frame (160 lines) already passes the burst of 100: from then on, 2 × frameMs.
    const floodGaps = gaps(flooded);
    expect(floodGaps.length).toBeGreaterThan(5);
    expect(new Set(floodGaps)).toEqual(new Set([2 * FRAME_MS]));
    // The frame after the flood is the last slow one (it saw the flood's last drops).
    expect(new Set(gaps(after).slice(1))).toEqual(new Set([FRAME_MS]));
  });

  it('drops to a quarter once the flood has lasted, and comes back to the full rate after it', async () => {
    const [flooded = [], after = []] = await frameTimes(2000, [{ count: 20, ms: sustainedFloodMs + 2000 }, trickle]);
    const start = flooded[0] ?? 0;
    const floodGaps = gaps(flooded);
    // Half the rate until the flood has lasted sustainedFloodMs (counted from the first
    // frame that held lines back), a quarter from then on.
    const early = floodGaps.filter((_, index) => (flooded[index + 1] ?? 0) - start <= sustainedFloodMs);
    const late = floodGaps.filter((_, index) => (flooded[index] ?? 0) - start >= sustainedFloodMs);
    expect(new Set(early)).toEqual(new Set([2 * FRAME_MS]));
    expect(late.length).toBeGreaterThan(5);
    expect(new Set(late)).toEqual(new Set([4 * FRAME_MS]));
    expect(new Set(gaps(after).slice(1))).toEqual(new Set([FRAME_MS]));
  });

  it('shows the answer to a typed command within one frame time, also at the flood pace', async () => {
    const sustained = { count: 20, ms: sustainedFloodMs + 1000 };
    const starts: number[] = [];
    const [before = [], answered = []] = await frameTimes(2000, [sustained, { ...sustained, reply: true }], starts);
    // The flood was at a quarter of the rate when the answer came …
    expect(gaps(before).at(-1)).toBe(4 * FRAME_MS);
    const answeredAt = starts[1] ?? Number.NaN;
    // … the frame pending then would have come up to 4 × FRAME_MS later; the one that
    // shows the answer came no later than FRAME_MS after it, and the pace went on.
    expect(answered[0]).toBeLessThanOrEqual(answeredAt + FRAME_MS);
    expect(gaps(answered).at(-1)).toBe(4 * FRAME_MS);
  });

  it('keeps the full rate while the budget shows every line', async () => {
    const [frames = []] = await frameTimes(2000, [trickle]);
    expect(frames.length).toBeGreaterThan(10);
    expect(new Set(gaps(frames))).toEqual(new Set([FRAME_MS]));
  });
});
