/** Field names servers commonly stamp an event's send time under. */
const TIMESTAMP_FIELDS = ['ts', 'timestamp', 'time', 'sentAt', 'sent_at', 'sent', 'at', 't'] as const;

/** Epoch milliseconds between 2001 and 2286: anything else is not a send time. */
const MIN_EPOCH_MS = 1e12;
const MAX_EPOCH_MS = 1e13;

/**
The time the server says it sent an event, when its data carries one: the data is an
epoch number (ms or s) or an ISO date, or a JSON object with one under a common name
(`ts`, `timestamp`, `time`, `sentAt`, …). `undefined` when there is none.
*/
export function serverTimestampMs(data: string): number | undefined {
  const text = data.trim();
  const direct = timeFrom(text);
  if (direct !== undefined) return direct;
  if (!text.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  for (const field of TIMESTAMP_FIELDS) {
    const value = record[field];
    const ms = typeof value === 'number' ? epochMs(value) : typeof value === 'string' ? timeFrom(value) : undefined;
    if (ms !== undefined) return ms;
  }
  return undefined;
}

function timeFrom(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return epochMs(Number(text));
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(text)) {
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

/** Epoch ms from ms or seconds (with or without a fraction); undefined for any other number. */
function epochMs(value: number): number | undefined {
  if (value >= MIN_EPOCH_MS && value < MAX_EPOCH_MS) return value;
  const ms = value * 1000;
  return ms >= MIN_EPOCH_MS && ms < MAX_EPOCH_MS ? ms : undefined;
}
