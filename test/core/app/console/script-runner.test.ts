import { describe, expect, it, vi } from 'vitest';
import { parseLessonScript, type ScriptStep } from '../../../../core/app/console/lesson-script.js';
import {
  runScript,
  STALL_MS,
  type ConnectionBacklog,
  type ScriptHost,
} from '../../../../core/app/console/script-runner.js';
import { waitFor } from '../../stream/support.js';
import { consoleLanguage } from '../../../../core/app/console/console-language.js';

/** A host that records what the script did, with a connection count the test sets. */
function fakeHost() {
  const done: string[] = [];
  const listeners = new Set<() => void>();
  let connections = 0;
  const state: { backlog: readonly ConnectionBacklog[]; inputEnded: boolean } = { backlog: [], inputEnded: false };
  const host: ScriptHost = {
    backlog: () => state.backlog,
    inputEnded: () => state.inputEnded,
    execute: (step) => done.push(`run ${step.line}: ${step.text}`),
    narrate: (step, text) => done.push(`say ${step.line}: ${text}`),
    connectionCount: () => connections,
    onConnectionsChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    host,
    done,
    listeners,
    state,
    setConnections(count: number) {
      connections = count;
      for (const listener of [...listeners]) listener();
    },
  };
}

function steps(text: string): readonly ScriptStep[] {
  const parsed = parseLessonScript(text, 'lesson.txt', consoleLanguage.parseCommandLine);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.steps;
}

describe('runScript', () => {
  it('runs commands and narration in order, sleeping where told, and finishes', async () => {
    // The sleep is the subject: a fake clock, moved to just before and just at its end.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const fake = fakeHost();
      const running = runScript('lesson.txt', steps('# hello\nsend a\nsleep 2s\nsend b\n# bye'), fake.host);
      expect(fake.done).toEqual([]); // nothing before the caller's own "running" line
      await new Promise((resolve) => setImmediate(resolve));
      expect(fake.done).toEqual(['say 1: hello', 'run 2: send a']);
      expect(running.currentLine).toBe(3);
      await new Promise((resolve) => setImmediate(resolve)); // the turn after each command
      await vi.advanceTimersByTimeAsync(1999);
      expect(fake.done).toEqual(['say 1: hello', 'run 2: send a']);
      await vi.advanceTimersByTimeAsync(1);
      expect(await running.done).toBe('finished');
      expect(fake.done).toEqual(['say 1: hello', 'run 2: send a', 'run 4: send b', 'say 5: bye']);
      expect(running.stop()).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('waits for N connections, going on at once when they are already there', async () => {
    const fake = fakeHost();
    const running = runScript('lesson.txt', steps('wait connections 2\nsend a\nwait connections 1\nsend b'), fake.host);
    await waitFor(() => fake.done.length === 1, 'the waiting line');
    expect(fake.done[0]).toBe('say 1: waiting for 2 connections (0 open now; open the page in more tabs)');
    fake.setConnections(1);
    expect(fake.done).toHaveLength(1);
    fake.setConnections(2);
    expect(await running.done).toBe('finished');
    expect(fake.done.slice(1)).toEqual(['run 2: send a', 'run 4: send b']);
    expect(fake.listeners.size).toBe(0);
  });

  it('waits for its expectations at `wait expectations` and before it finishes', async () => {
    const fake = fakeHost();
    let pending = 1;
    const host: ScriptHost = { ...fake.host, pendingExpectations: () => pending };
    let finished = false;
    const running = runScript('lesson.txt', steps('send a\nwait expectations\nsend b'), host);
    void running.done.then(() => (finished = true));
    await waitFor(() => fake.done.length === 2, 'the waiting line');
    expect(fake.done).toEqual(['run 1: send a', 'say 2: waiting for 1 expectation']);
    pending = 0;
    fake.setConnections(0);
    await waitFor(() => fake.done.length === 3, 'the next command');
    expect(fake.done[2]).toBe('run 3: send b');
    // Armed again by the last command: the script does not end until it settles.
    pending = 2;
    // The sign it looked: it subscribes to wait for the verdicts (or, wrongly, finishes).
    await waitFor(() => fake.listeners.size === 1 || finished, 'the end to wait or finish');
    expect(finished).toBe(false);
    pending = 0;
    fake.setConnections(0);
    expect(await running.done).toBe('finished');
    expect(fake.listeners.size).toBe(0);
  });

  it('waits for Enter, and only a wait enter step takes it', async () => {
    const fake = fakeHost();
    const running = runScript('lesson.txt', steps('send a\nwait enter\nsend b'), fake.host);
    expect(running.enter()).toBe(false);
    await waitFor(() => running.waitingForEnter, 'the wait enter step');
    expect(fake.done.at(-1)).toBe('say 2: press Enter to go on (`stop script` ends the lesson)');
    expect(running.enter()).toBe(true);
    expect(running.enter()).toBe(false);
    expect(await running.done).toBe('finished');
    expect(fake.done.at(-1)).toBe('run 3: send b');
  });

  it('goes on from wait enter, saying so, once no more input can come', async () => {
    const fake = fakeHost();
    const running = runScript('lesson.txt', steps('wait enter\nsend a\nwait enter\nsend b'), fake.host);
    await waitFor(() => running.waitingForEnter, 'the first wait enter step');
    fake.state.inputEnded = true;
    running.inputEnded();
    expect(await running.done).toBe('finished');
    expect(fake.done).toEqual([
      'say 1: press Enter to go on (`stop script` ends the lesson)',
      'say 1: stdin has ended, so no Enter can come: going on',
      'run 2: send a',
      'say 3: stdin has ended, so no Enter can come: going on',
      'run 4: send b',
    ]);
  });

  it('stops at the step it is on, runs nothing after it, and lets go of its waits', async () => {
    const fake = fakeHost();
    const running = runScript('lesson.txt', steps('send a\nwait connections 5\nsend b'), fake.host);
    await waitFor(() => fake.listeners.size === 1, 'the wait for connections');
    expect(running.currentLine).toBe(2);
    expect(running.stop()).toBe(true);
    expect(running.stop()).toBe(false);
    expect(await running.done).toBe('stopped');
    expect(fake.listeners.size).toBe(0);
    fake.setConnections(5);
    expect(fake.done).toEqual([
      'run 1: send a',
      'say 2: waiting for 5 connections (0 open now; open the page in more tabs)',
    ]);

    const sleeping = fakeHost();
    const slept = runScript('lesson.txt', steps('sleep 24h\nsend never'), sleeping.host);
    await new Promise((resolve) => setImmediate(resolve));
    slept.stop();
    expect(await slept.done).toBe('stopped');
    expect(sleeping.done).toEqual([]);
  });

  it('ends when one of its own commands stops it, without running the rest', async () => {
    const fake = fakeHost();
    const started: { script?: ReturnType<typeof runScript> } = {};
    const host: ScriptHost = {
      ...fake.host,
      execute(step) {
        fake.done.push(`run ${step.line}: ${step.text}`);
        if (step.text === 'stop script') started.script?.stop();
      },
    };
    const running = runScript('lesson.txt', steps('send a\nstop script\nsend b'), host);
    started.script = running;
    expect(await running.done).toBe('stopped');
    expect(fake.done).toEqual(['run 1: send a', 'run 2: stop script']);
  });

  it('yields after each command, and waits while a connection is still taking its bytes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
    try {
      const fake = fakeHost();
      const host: ScriptHost = {
        ...fake.host,
        execute(step) {
          fake.done.push(`run ${step.line}: ${step.text}`);
          fake.state.backlog = [{ id: 1, bufferedBytes: 1000 }];
        },
      };
      const running = runScript('lesson.txt', steps('send a\nsend b'), host);
      await vi.advanceTimersByTimeAsync(0);
      // One command per turn, not the whole run at once.
      expect(fake.done).toEqual(['run 1: send a']);
      await vi.advanceTimersByTimeAsync(STALL_MS / 2);
      fake.state.backlog = [{ id: 1, bufferedBytes: 400 }]; // reading: still waited for
      await vi.advanceTimersByTimeAsync(STALL_MS / 2 + 100);
      expect(fake.done).toEqual(['run 1: send a']);
      fake.state.backlog = [];
      await vi.advanceTimersByTimeAsync(10);
      expect(fake.done).toEqual(['run 1: send a', 'run 2: send b']);
      fake.state.backlog = [];
      await vi.advanceTimersByTimeAsync(10);
      expect(await running.done).toBe('finished');
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops waiting for a connection whose bytes have not gone down for STALL_MS, until they do', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
    try {
      const fake = fakeHost();
      let stalledBytes = 0;
      const host: ScriptHost = {
        ...fake.host,
        execute(step) {
          fake.done.push(`run ${step.line}: ${step.text}`);
          stalledBytes += 1000; // #2 does not read: each send adds to what it holds
          fake.state.backlog = [{ id: 2, bufferedBytes: stalledBytes }];
        },
      };
      const running = runScript('lesson.txt', steps('send a\nsend b\nsleep 1s\nsend c\nsend d'), host);
      await vi.advanceTimersByTimeAsync(STALL_MS - 10);
      expect(fake.done).toEqual(['run 1: send a']);
      await vi.advanceTimersByTimeAsync(20);
      // Given up on #2: the next send goes on a turn later, though #2 holds more.
      expect(fake.done).toEqual(['run 1: send a', 'run 2: send b']);
      stalledBytes = 0; // during the sleep #2 reads again, so it is waited for again
      await vi.advanceTimersByTimeAsync(1000);
      expect(fake.done.at(-1)).toBe('run 4: send c');
      await vi.advanceTimersByTimeAsync(STALL_MS / 2);
      expect(fake.done.at(-1)).toBe('run 4: send c');
      fake.state.backlog = [];
      await vi.advanceTimersByTimeAsync(10);
      expect(fake.done.at(-1)).toBe('run 5: send d');
      fake.state.backlog = [];
      await vi.advanceTimersByTimeAsync(10);
      expect(await running.done).toBe('finished');
      expect(running.stop()).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
