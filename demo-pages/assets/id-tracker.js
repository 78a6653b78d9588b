/*
Follows the ids a reconnecting EventSource receives and says, per event, whether
it was the next one, left a gap, repeated one, or carried no id of its own.
No DOM here, so it can be checked outside a browser.

A browser's lastEventId is sticky: an event sent without `id:` arrives with the
previous event's id. So "same id as the last event" means "no id field", except
right after a reconnect, where the same id with the same data is a replayed
duplicate.
*/

const DIGITS = /^\d+$/;

export function createIdTracker() {
  const seen = new Set();
  /** Sorted, disjoint [first, last] runs of ids received. */
  const ranges = [];
  let browserLastId = '';
  let lastData;
  let maxId;
  let resumeFrom;
  const counts = { received: 0, reconnects: 0, resumes: 0, gaps: 0, duplicates: 0 };

  function addToRanges(id) {
    const last = ranges[ranges.length - 1];
    if (last && id === last[1] + 1) {
      last[1] = id;
    } else if (!last || id > last[1] + 1) {
      ranges.push([id, id]);
    } else {
      ranges.push([id, id]);
      ranges.sort((a, b) => a[0] - b[0]);
      for (let i = ranges.length - 1; i > 0; i -= 1) {
        const before = ranges[i - 1];
        const current = ranges[i];
        if (current[0] <= before[1] + 1) {
          before[1] = Math.max(before[1], current[1]);
          ranges.splice(i, 1);
        }
      }
    }
  }

  return {
    /** The connection dropped and the browser will retry; returns the Last-Event-ID it will send. */
    noteReconnect() {
      counts.reconnects += 1;
      resumeFrom = browserLastId;
      return browserLastId;
    },

    /**
    Classifies one event. `kind` is 'first' | 'next' | 'gap' | 'duplicate' |
    'out-of-order' | 'no-id' | 'not-a-number'; a gap gives `missing: [from, to]`;
    the first event after a reconnect that continues exactly gives `resumedAfter`.
    */
    track(lastEventId, data) {
      counts.received += 1;
      const afterReconnect = resumeFrom;
      resumeFrom = undefined;

      if (lastEventId === '') {
        browserLastId = '';
        return { kind: 'no-id' };
      }
      if (!DIGITS.test(lastEventId)) {
        browserLastId = lastEventId;
        return { kind: 'not-a-number' };
      }
      const id = Number(lastEventId);
      const replayedAgain = afterReconnect !== undefined && data === lastData;
      if (lastEventId === browserLastId && !replayedAgain) {
        return { kind: 'no-id', id };
      }
      browserLastId = lastEventId;
      if (seen.has(id)) {
        counts.duplicates += 1;
        return { kind: 'duplicate', id };
      }

      let result;
      if (maxId === undefined) {
        result = { kind: 'first', id };
      } else if (id === maxId + 1) {
        result = { kind: 'next', id };
      } else if (id > maxId + 1) {
        counts.gaps += 1;
        result = { kind: 'gap', id, missing: [maxId + 1, id - 1] };
      } else {
        result = { kind: 'out-of-order', id };
      }
      seen.add(id);
      addToRanges(id);
      if (maxId === undefined || id > maxId) {
        maxId = id;
        lastData = data;
      }
      if (afterReconnect !== undefined && DIGITS.test(afterReconnect) && id === Number(afterReconnect) + 1) {
        counts.resumes += 1;
        result.resumedAfter = Number(afterReconnect);
      }
      return result;
    },

    /** Counts, the highest id, the runs of ids received and a one-word verdict. */
    summary() {
      let verdict = 'ok';
      if (counts.duplicates > 0) verdict = 'duplicate';
      else if (counts.gaps > 0) verdict = 'gap';
      else if (counts.received === 0) verdict = 'waiting';
      return { ...counts, maxId, ranges: ranges.map(([a, b]) => [a, b]), verdict };
    },
  };
}

/** "1–40, 43–50" (the last `limit` runs). */
export function formatRanges(ranges, limit = 20) {
  if (ranges.length === 0) return 'none';
  const shown = ranges.slice(-limit).map(([a, b]) => (a === b ? String(a) : `${a}–${b}`));
  return (ranges.length > limit ? '…, ' : '') + shown.join(', ');
}
