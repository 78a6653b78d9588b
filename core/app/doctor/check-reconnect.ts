import type { Finding } from './finding.js';
import type { StreamObservation } from './observation.js';

/** The reconnection time EventSource uses until the server sends `retry:`. */
const DEFAULT_RETRY_MS = 3000;

/**
The event whose id a reconnect check sends as Last-Event-ID: the one before the last
event with an id, so that one event is known to follow it. `undefined` when fewer
than two events had ids.
*/
export function resumeCursor(observation: StreamObservation): { id: string; missed: string[] } | undefined {
  const ids = observation.events.flatMap((event) => (event.id === undefined || event.id === '' ? [] : [event.id]));
  if (ids.length < 2) return undefined;
  const cursorIndex = ids.length - 2;
  const id = ids[cursorIndex] ?? '';
  return { id, missed: ids.slice(cursorIndex + 1) };
}

/**
What a reconnecting client meets: the retry time, whether events carry ids, what the
server does with Last-Event-ID (`resume` is a second request that sent it), and what
a retry of a POST stream costs.
*/
export function checkReconnect(
  observation: StreamObservation,
  resume: StreamObservation | undefined,
  hasBody: boolean,
): Finding[] {
  const findings: Finding[] = [];
  if (observation.method.toUpperCase() !== 'GET' || hasBody) {
    findings.push({
      code: 'post',
      level: 'info',
      message: `this is a ${observation.method.toUpperCase()} stream: EventSource cannot make it, and a fetch-based client that retries it sends the request again (for an LLM endpoint: the tokens are spent twice)`,
      advice:
        'let the POST start the work and return an id, then stream it with a GET that resumes with Last-Event-ID; or make the POST idempotent (an idempotency key)',
      evidence: { method: observation.method },
    });
  }
  if (observation.response === undefined || observation.events.length === 0) return findings;
  const retry = observation.retryMs;
  const withIds = observation.events.filter((event) => event.id !== undefined && event.id !== '').length;
  if (withIds === 0) {
    findings.push({
      code: 'ids',
      level: 'info',
      message: `no event carries an id: a client that reconnects (after ${retry ?? DEFAULT_RETRY_MS} ms${retry === undefined ? ', the default' : ''}) cannot say where it stopped, so it misses or repeats events`,
      advice: 'give each event an id: and replay those after Last-Event-ID on reconnect',
      evidence: { events: observation.eventCount, retryMs: retry ?? null },
    });
    return findings;
  }
  const cursor = resumeCursor(observation);
  if (cursor === undefined || resume === undefined) return findings;
  findings.push(resumeFinding(cursor, resume, new Set(observation.events.flatMap((event) => event.id ?? [])), retry));
  return findings;
}

function resumeFinding(
  cursor: { id: string; missed: string[] },
  resume: StreamObservation,
  seen: ReadonlySet<string>,
  retry: number | undefined,
): Finding {
  const asked = `a client that reconnects with Last-Event-ID: ${cursor.id}`;
  const evidence: Record<string, unknown> = {
    lastEventId: cursor.id,
    missed: cursor.missed,
    retryMs: retry ?? null,
  };
  const response = resume.response;
  if (response === undefined || response.status !== 200) {
    evidence.status = response?.status ?? null;
    return {
      code: 'reconnect',
      level: 'warn',
      message: `${asked} is refused: ${response === undefined ? (resume.failure ?? 'no response') : `status ${response.status}`}; EventSource gives up for good on a status other than 200`,
      evidence,
    };
  }
  const reset = resume.events.find((event) => event.type === 'reset');
  const replayed = resume.events.flatMap((event) => (event.id !== undefined && seen.has(event.id) ? [event.id] : []));
  evidence.replayed = replayed;
  if (reset !== undefined && replayed.length === 0) {
    evidence.reset = reset.data;
    return {
      code: 'reconnect',
      level: 'info',
      message: `${asked} is sent a reset event (data ${JSON.stringify(reset.data).slice(0, 80)}) instead of the events it missed`,
      evidence,
    };
  }
  const repeated = replayed.filter((id) => !cursor.missed.includes(id));
  if (repeated.length > 0) {
    return {
      code: 'reconnect',
      level: 'warn',
      message: `${asked} is sent events it already had (ids ${list(repeated)}): duplicates on every reconnect`,
      advice: 'replay only the events stored after the one Last-Event-ID names',
      evidence,
    };
  }
  if (replayed.length === 0) {
    return {
      code: 'reconnect',
      level: 'warn',
      message: `no replay: ${asked} does not get the ${cursor.missed.length} event${cursor.missed.length === 1 ? '' : 's'} sent after it (ids ${list(cursor.missed)}); events sent while a client is away are lost`,
      advice: 'keep recent events and send those after Last-Event-ID when a client reconnects',
      evidence,
    };
  }
  const complete = cursor.missed.every((id) => replayed.includes(id));
  return complete
    ? {
        code: 'reconnect',
        level: 'ok',
        message: `${asked} is replayed the ${replayed.length} event${replayed.length === 1 ? '' : 's'} after it, then live ones: nothing lost, nothing twice (retry ${retry ?? DEFAULT_RETRY_MS} ms)`,
        evidence,
      }
    : {
        code: 'reconnect',
        level: 'warn',
        message: `${asked} is replayed only ${list(replayed)} of the events after it (${list(cursor.missed)})`,
        evidence,
      };
}

function list(ids: readonly string[]): string {
  return ids.length <= 5 ? ids.join(', ') : `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more`;
}
