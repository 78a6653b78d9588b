import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entriesFromRecords, entryFor } from '../../../core/history/history-entries.js';
import { createReplayLog, type LogEntry } from '../../../core/history/replay-log.js';
import { SseFieldError } from '../../../core/errors/sse-error.js';

const entry = (id: number): LogEntry => entryFor({ id, data: `event ${id}`, storedAt: 0 });
const ids = (entries: readonly LogEntry[]): (number | string)[] => entries.map((item) => item.record.id);

describe('createReplayLog', () => {
  it('keeps the newest `limit` entries, oldest first', () => {
    const log = createReplayLog(3);
    const dropped: (number | string)[] = [];
    for (let id = 1; id <= 7; id += 1) {
      const out = log.append(entry(id));
      if (out) dropped.push(out.record.id);
    }
    expect(log.size).toBe(3);
    expect(log.records().map((record) => record.id)).toEqual([5, 6, 7]);
    expect(dropped).toEqual([1, 2, 3, 4]);
    expect(log.oldest?.id).toBe(5);
    expect(log.oldestSeq).toBe(5);
    expect(log.nextSeq).toBe(8);
  });

  it('finds the entries after a seq across the ring seam (seq = id here: appended from 1)', () => {
    const log = createReplayLog(4);
    for (let id = 1; id <= 10; id += 1) log.append(entry(id)); // ring holds 7..10, wrapped
    expect(ids(log.entriesAfter(0))).toEqual([7, 8, 9, 10]);
    expect(ids(log.entriesAfter(6))).toEqual([7, 8, 9, 10]);
    expect(ids(log.entriesAfter(8))).toEqual([9, 10]);
    expect(ids(log.entriesAfter(10))).toEqual([]);
    expect(ids(log.entriesAfter(99))).toEqual([]);
    // A page copies only itself, not the rest of the log.
    expect(ids(log.entriesAfter(6, 2))).toEqual([7, 8]);
    expect(ids(log.entriesAfter(9, 2))).toEqual([10]);
  });

  it('finds any stored id (numbers, strings, repeats) like a plain scan of what is kept', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constantFrom('a', 'b', 'uuid-1', '7')), {
          maxLength: 40,
        }),
        (limit, given) => {
          const log = createReplayLog(limit);
          for (const id of given) log.append(entryFor({ id, data: '', storedAt: 0 }));
          const kept = given.slice(-limit);
          expect(log.records().map((record) => record.id)).toEqual(kept);
          for (const id of new Set(given.map(String))) {
            const index = kept.map(String).lastIndexOf(id);
            const seq = log.seqOf(id);
            if (index < 0) {
              expect(seq).toBeUndefined();
            } else {
              // The newest entry stored under the id wins; the replay is what follows it.
              expect(ids(log.entriesAfter(seq ?? -1))).toEqual(kept.slice(index + 1));
            }
          }
        },
      ),
    );
  });

  it('remembers ids that left the log, so a cursor among them is a gap and not unknown', () => {
    const log = createReplayLog(2);
    for (const id of ['a', 'b', 'c', 'd']) log.append(entryFor({ id, data: '', storedAt: 0 }));
    expect(log.seqOf('a')).toBeUndefined();
    expect(log.droppedSeqOf('a')).toBe(1);
    expect(log.droppedSeqOf('b')).toBe(2);
    expect(log.seqOf('c')).toBe(3);
    log.clear();
    expect(log.droppedSeqOf('d')).toBe(4);
  });

  it('limit 0 keeps nothing', () => {
    const log = createReplayLog(0);
    expect(log.append(entry(1))?.record.id).toBe(1);
    expect(log.size).toBe(0);
    expect(log.entriesAfter(0)).toEqual([]);
  });

  it('reuses one frozen snapshot until the log changes', () => {
    const log = createReplayLog(3);
    log.append(entry(1));
    const first = log.records();
    expect(Object.isFrozen(first)).toBe(true);
    expect(log.records()).toBe(first);
    log.append(entry(2));
    expect(log.records()).not.toBe(first);
    log.clear();
    expect(log.records()).toEqual([]);
    expect(log.oldest).toBeUndefined();
  });

  it('replace keeps the newest entries and then appends normally', () => {
    const log = createReplayLog(3);
    log.replace([1, 2, 3, 4, 5].map(entry));
    expect(log.records().map((record) => record.id)).toEqual([3, 4, 5]);
    log.append(entry(6));
    expect(ids(log.entriesAfter(0))).toEqual([4, 5, 6]);
    log.replace([entry(2), entry(1)]); // insertion order, whatever the ids
    expect(log.records().map((record) => record.id)).toEqual([2, 1]);
  });

  it('explains a bad limit', () => {
    expect(() => createReplayLog(-1)).toThrow(
      'historyLimit must be a non-negative whole number (0 keeps nothing): got -1',
    );
    expect(() => createReplayLog(1.5)).toThrow(/got 1.5/);
  });
});

describe('entriesFromRecords', () => {
  const now = (): number => 42;

  it('copies, freezes and encodes records as they will be replayed', () => {
    const source = [{ id: 3, data: 'a\nb', event: 'e', retry: 9, storedAt: 1 }];
    const [made] = entriesFromRecords(source, now);
    expect(made?.record).toEqual(source[0]);
    expect(made?.record).not.toBe(source[0]);
    expect(Object.isFrozen(made?.record)).toBe(true);
    expect(made?.bytes.toString()).toBe('id: 3\nevent: e\nretry: 9\ndata: a\ndata: b\n\n');
  });

  it('fills a missing storedAt from the clock', () => {
    const [made] = entriesFromRecords([{ id: 1, data: '' } as never], now);
    expect(made?.record.storedAt).toBe(42);
  });

  it.each([
    [
      [{ id: -1, data: '', storedAt: 0 }],
      'history record 1: id must be a whole number from 0 to 9007199254740991 or a non-empty string: got -1',
    ],
    [
      [{ id: '', data: '', storedAt: 0 }],
      'history record 1: id must be a whole number from 0 to 9007199254740991 or a non-empty string: got ""',
    ],
    [[{ id: 'a\nb', data: '', storedAt: 0 }], 'history record 1 (id "a\\nb"): id may not contain CR, LF or NUL'],
    [[{ id: 1, data: 5, storedAt: 0 }], 'history record 1 (id 1): data must be a string'],
    [[null], 'history record 1 must be an object'],
  ])('names the bad record: %j', (records, message) => {
    expect(() => entriesFromRecords(records as never, now)).toThrow(message);
  });

  it('reports an unwritable event name as a field error naming the record', () => {
    let caught: unknown;
    try {
      entriesFromRecords([{ id: 5, data: '', event: 'a\nb', storedAt: 0 }], now);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SseFieldError);
    expect((caught as Error).message).toBe('history record 1 (id 5): event name may not contain CR or LF: got "a\\nb"');
  });
});

describe('the byte budget', () => {
  const sized = (id: number, bytes: number): LogEntry => ({
    record: { id, data: '', storedAt: 0 },
    bytes: Buffer.alloc(bytes),
  });

  it('drops the oldest entries until the retained bytes fit, beside the count limit', () => {
    const log = createReplayLog(100, 250);
    for (let id = 1; id <= 5; id += 1) log.append(sized(id, 100));
    expect(ids(log.entriesAfter(0))).toEqual([4, 5]);
    expect(log.bytes).toBe(200);
    log.append(sized(6, 240)); // alone it fits; with any other it does not
    expect(ids(log.entriesAfter(0))).toEqual([6]);
    log.append(sized(7, 300)); // larger than the budget: kept by nobody
    expect(log.size).toBe(0);
    expect(log.bytes).toBe(0);
  });

  it('applies to replace() and follows the ring across its seam', () => {
    const log = createReplayLog(3, 250);
    log.replace([sized(1, 100), sized(2, 100), sized(3, 100)]);
    expect(ids(log.entriesAfter(0))).toEqual([2, 3]);
    for (let id = 4; id <= 9; id += 1) log.append(sized(id, 50));
    expect(ids(log.entriesAfter(0))).toEqual([7, 8, 9]);
    expect(log.bytes).toBe(150);
    expect(log.firstAfter(7)?.entry.record.id).toBe(8);
    expect(log.firstAfter(9)).toBeUndefined();
    expect(log.countAfter(7)).toBe(2);
  });
});
