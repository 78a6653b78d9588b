import type { render } from 'ink-testing-library';
import { waitFor } from '../support/wait.js';

/** What ink-testing-library's `render` returns. */
export type RenderedApp = ReturnType<typeof render>;

/** Keys as a terminal sends them. */
export const keys = {
  enter: '\r',
  tab: '\t',
  escape: '\u001B',
  up: '\u001B[A',
  down: '\u001B[B',
  left: '\u001B[D',
  right: '\u001B[C',
  home: '\u001B[H',
  end: '\u001B[F',
  pageDown: '\u001B[6~',
  backspace: '\u007F',
  delete: '\u001B[3~',
  ctrlC: '\u0003',
  ctrlU: '\u0015',
  ctrlW: '\u0017',
} as const;

const defaultTimeoutMs = 5000;

/**
Lets React and Ink finish what they scheduled. React 19's scheduler and Ink's input
parser (a lone Esc waits one setImmediate for more bytes) both use setImmediate, so
one setImmediate then one timer turn gets past both.
*/
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setTimeout(resolve, 0)));
}

/** The frame as text: colour codes removed, in case the environment forces colour. */
export function frameText(instance: RenderedApp): string {
  return (instance.lastFrame() ?? '').replace(/\u001B\[[0-9;]*m/g, '');
}

export type FrameExpectation = string | RegExp | ((frame: string) => boolean);

function matches(frame: string, expected: FrameExpectation): boolean {
  if (typeof expected === 'string') return frame.includes(expected);
  if (expected instanceof RegExp) return expected.test(frame);
  return expected(frame);
}

function describeExpectation(expected: FrameExpectation): string {
  return typeof expected === 'function' ? 'the predicate' : String(expected);
}

/** Polls the last frame until it contains the text (or matches) or the time is up; returns the frame. */
export async function waitForFrame(
  instance: RenderedApp,
  expected: FrameExpectation,
  timeoutMs: number = defaultTimeoutMs,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = frameText(instance);
    if (matches(frame, expected)) return frame;
    if (Date.now() > deadline) {
      throw new Error(`waited ${timeoutMs} ms for ${describeExpectation(expected)}; the last frame was:\n${frame}`);
    }
    await settle();
  }
}

export { waitFor };

/**
Waits until the app listens to keys: Ink attaches its stdin listener in an effect
after the first render, and keys written before that are lost.
*/
export async function waitForInputReady(
  instance: { readonly stdin: NodeJS.EventEmitter },
  timeoutMs: number = defaultTimeoutMs,
): Promise<void> {
  await waitFor(() => instance.stdin.listenerCount('readable') > 0, 'the app to listen to stdin', timeoutMs);
  await settle();
}

/**
Types keys (one write per item, with React given a turn in between, so a lone Esc is
not glued to the next key), then waits for the frame to show `expected`.
*/
export async function typeAndWait(
  instance: RenderedApp,
  typed: string | readonly string[],
  expected: FrameExpectation,
  timeoutMs: number = defaultTimeoutMs,
): Promise<string> {
  await waitForInputReady(instance, timeoutMs);
  for (const chunk of typeof typed === 'string' ? [typed] : typed) {
    instance.stdin.write(chunk);
    await settle();
  }
  return waitForFrame(instance, expected, timeoutMs);
}

/** The live part of a frame: everything after the log (from the status line on). */
export function livePart(frame: string): string {
  const start = frame.lastIndexOf('SSE http');
  return start < 0 ? frame : frame.slice(start);
}
