import { describe, expect, it } from 'vitest';
import type { LogEntry, LogKind } from '../../../../core/app/console/types.js';
import { createLogBudget, skippedSummary } from '../../../../core/app/console/log-budget.js';

let seq = 0;
function entries(kind: LogKind, count: number): LogEntry[] {
  return Array.from({ length: count }, () => ({ seq: ++seq, time: 0, kind, text: `${kind} ${seq}` }));
}

describe('createLogBudget', () => {
  it('shows everything while under the burst', () => {
    const budget = createLogBudget({ perSecond: 10, burst: 20 });
    const admitted = budget.admit(entries('send', 20), 0);
    expect(admitted.shown).toHaveLength(20);
    expect(admitted.skipped.size).toBe(0);
  });

  it('counts activity lines past the budget, by kind', () => {
    const budget = createLogBudget({ perSecond: 10, burst: 5 });
    const admitted = budget.admit([...entries('send', 6), ...entries('connect', 2)], 0);
    expect(admitted.shown).toHaveLength(5);
    expect(admitted.skipped).toEqual(
      new Map([
        ['send', 1],
        ['connect', 2],
      ]),
    );
  });

  it('always shows the reply to a typed line, whatever its kind', () => {
    const budget = createLogBudget({ perSecond: 10, burst: 1 });
    const reply: LogEntry = { seq: ++seq, time: 0, kind: 'job', text: 'stopped 20 jobs', reply: true };
    const admitted = budget.admit([...entries('send', 5), reply, ...entries('job', 1)], 0);
    expect(admitted.shown).toContain(reply);
    expect(admitted.skipped).toEqual(
      new Map([
        ['send', 4],
        ['job', 1],
      ]),
    );
  });

  it('always shows commands, answers, errors and warnings', () => {
    const budget = createLogBudget({ perSecond: 1, burst: 1 });
    budget.admit(entries('send', 5), 0);
    const kinds: LogKind[] = ['command', 'output', 'error', 'warn', 'info', 'clear'];
    const admitted = budget.admit(
      kinds.flatMap((kind) => entries(kind, 3)),
      0,
    );
    expect(admitted.shown).toHaveLength(18);
  });

  it('refills at the sustained rate, up to the burst', () => {
    const budget = createLogBudget({ perSecond: 10, burst: 5 });
    budget.admit(entries('send', 5), 0);
    expect(budget.admit(entries('send', 5), 100).shown).toHaveLength(1);
    expect(budget.admit(entries('send', 50), 60_100).shown).toHaveLength(5);
  });
});

describe('skippedSummary', () => {
  it('says how many lines were held back, most frequent kind first', () => {
    const text = skippedSummary(
      new Map<LogKind, number>([
        ['connect', 2],
        ['send', 800],
      ]),
      50,
    );
    expect(text).toMatch(/^… 802 log lines not shown \(send 800, connect 2\)/);
    expect(text).toContain('about 50');
  });

  it('says nothing when nothing was held back', () => {
    expect(skippedSummary(new Map(), 50)).toBeUndefined();
  });
});
