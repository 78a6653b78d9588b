/** JSON fields that may carry the time the server sent an event, in the order they are tried. */
const TIMESTAMP_FIELDS = ['ts', 'timestamp', 'time', 'sentAt'] as const;

/** Epoch ms from 2001 to 2286: a number in this range is taken as milliseconds. */
const MIN_MS = 1e12;
const MAX_MS = 1e13;

/** A number as epoch ms: seconds (1.7e9) and microseconds (1.7e15) are scaled; anything else is not a time. */
function epochMs(value: number): number | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  for (const scale of [1, 1000, 0.001]) {
    const ms = value * scale;
    if (ms >= MIN_MS && ms < MAX_MS) return ms;
  }
  return undefined;
}

function fromValue(value: unknown): number | undefined {
  if (typeof value === 'number') return epochMs(value);
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return epochMs(Number(trimmed));
    // An ISO 8601 time (the console's {iso} placeholder): nothing looser, Date.parse accepts too much.
    if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(trimmed)) {
      const ms = Date.parse(trimmed);
      return Number.isNaN(ms) ? undefined : ms;
    }
  }
  return undefined;
}

/**
When the server says it sent an event (the one rule of `doctor` and `bench`), as epoch ms, or undefined: the data is a time
itself (a number of seconds, milliseconds or microseconds since 1970, or an ISO 8601
time), or a JSON object with one in `ts`, `timestamp`, `time` or `sentAt`.
*/
export function serverTimestamp(data: string): number | undefined {
  const direct = fromValue(data);
  if (direct !== undefined) return direct;
  if (!data.trimStart().startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  for (const field of TIMESTAMP_FIELDS) {
    const ms = fromValue(record[field]);
    if (ms !== undefined) return ms;
  }
  return undefined;
}
