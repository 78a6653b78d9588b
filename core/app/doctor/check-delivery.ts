import type { Finding } from './finding.js';
import { seconds } from './seconds.js';
import type { ObservedEvent, StreamObservation } from './observation.js';

/** An event held back longer than this, relative to the quickest one, counts as late. */
const LATE_MS = 250;
/** Events arriving closer together than this arrived together (one write, one burst). */
const SAME_BURST_MS = 15;
/** Events that arrive this soon after the response head came with it (a replay of history, not live delivery). */
const WITH_HEAD_MS = 50;
/** A head later than this after the request was itself held back. */
const LATE_HEAD_MS = 1000;
/** Fewest live events that say anything about spacing. */
const MIN_EVENTS = 3;

/**
Whether events reach the client as they are sent or in bursts, and whether the body
is compressed. The server's own timestamps in the data are the best evidence (each
event's delay relative to the quickest); without them, how the arrivals group.
*/
export function checkDelivery(observation: StreamObservation): Finding[] {
  const response = observation.response;
  if (response === undefined) return [];
  const live = liveEvents(observation);
  const buffered = bufferedFinding(observation, live);
  const findings: Finding[] = buffered === undefined ? [] : [buffered];
  const encoding = response.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    const bursts = buffered !== undefined && buffered.level === 'warn';
    findings.push({
      code: 'compressed',
      level: bursts ? 'warn' : 'info',
      message: bursts
        ? `the stream is compressed (Content-Encoding: ${encoding}) and its events arrive in bursts: the compressor holds them until its buffer fills`
        : live.length >= MIN_EVENTS
          ? `the stream is compressed (Content-Encoding: ${encoding}); events still arrive one by one, so the server flushes the compressor after each`
          : `the stream is compressed (Content-Encoding: ${encoding}): unless the server flushes the compressor after each event, events wait for its buffer to fill`,
      advice: 'do not compress text/event-stream, or flush the compressor after every event',
      evidence: { contentEncoding: encoding, liveEvents: live.length },
    });
  }
  return findings;
}

/**
The events delivered live: those arriving with the response head (a replay of stored
events) are left out, unless the head itself came late, which is what a buffer that
holds everything does.
*/
function liveEvents(observation: StreamObservation): readonly ObservedEvent[] {
  const head = observation.response;
  if (head === undefined) return [];
  if (head.atMs > LATE_HEAD_MS) return observation.events;
  let first = 0;
  while (first < observation.events.length && (observation.events[first]?.atMs ?? 0) - head.atMs <= WITH_HEAD_MS) {
    first += 1;
  }
  return observation.events.slice(first);
}

function bufferedFinding(observation: StreamObservation, live: readonly ObservedEvent[]): Finding | undefined {
  const headAtMs = observation.response?.atMs ?? 0;
  const lateHead = headAtMs > LATE_HEAD_MS && live.length > 0 && (live[0]?.atMs ?? 0) - headAtMs <= WITH_HEAD_MS;
  if (live.length < MIN_EVENTS) {
    return {
      code: 'buffered',
      level: 'info',
      message: `only ${live.length} live event${live.length === 1 ? '' : 's'} arrived, too few to judge how they are spaced; watch longer (--duration) or send events while doctor watches`,
      evidence: { liveEvents: live.length },
    };
  }
  const stamped = live.map((event) => ({ event, sentMs: event.sentMs }));
  const allStamped = stamped.every((entry) => entry.sentMs !== undefined);
  const bursts = burstsOf(live);
  const evidence: Record<string, unknown> = {
    liveEvents: live.length,
    bursts: bursts.length,
    largestBurst: Math.max(...bursts.map((burst) => burst.length)),
    chunks: observation.chunkCount,
    headAtMs: Math.round(headAtMs),
  };
  let late: boolean;
  let message: string;
  if (allStamped) {
    const lags = stamped.map((entry) => entry.event.wallMs - (entry.sentMs ?? 0));
    const quickest = Math.min(...lags);
    const held = lags.map((lag) => lag - quickest);
    const lateCount = held.filter((ms) => ms >= LATE_MS).length;
    const heldMax = Math.max(...held);
    evidence.method = 'server-timestamps';
    evidence.heldMaxMs = Math.round(heldMax);
    evidence.lateEvents = lateCount;
    late = lateCount >= Math.max(2, Math.ceil(live.length * 0.2));
    message = late
      ? `events are held back: ${lateCount} of ${live.length} arrived more than ${LATE_MS} ms later than the quickest (up to ${seconds(heldMax)} after the server stamped them), in ${bursts.length} burst${bursts.length === 1 ? '' : 's'}`
      : `events arrive as they are sent: ${live.length} events, none held back more than ${LATE_MS} ms against the server's timestamps (largest delay ${Math.round(heldMax)} ms)`;
  } else {
    const inBursts = bursts.filter((burst) => burst.length >= 3).reduce((sum, burst) => sum + burst.length, 0);
    const gaps = bursts.slice(1).map((burst, index) => (burst[0]?.atMs ?? 0) - (bursts[index]?.at(-1)?.atMs ?? 0));
    const longestGap = gaps.length === 0 ? 0 : Math.max(...gaps);
    evidence.method = 'arrival-times';
    evidence.eventsInBursts = inBursts;
    evidence.longestGapMs = Math.round(longestGap);
    late =
      inBursts >= live.length * 0.6 && (bursts.length === 1 ? lateHead || live.length >= 5 : longestGap >= LATE_MS);
    message = late
      ? `events arrive in bursts: ${live.length} events came in ${bursts.length} burst${bursts.length === 1 ? '' : 's'} (largest ${String(evidence.largestBurst)})${bursts.length > 1 ? ` up to ${seconds(longestGap)} apart` : ''}; if the server sends them spaced, something holds them back (the data has no timestamp to prove it: add "ts": Date.now() to see the delay)`
      : `events arrive one by one: ${live.length} events in ${bursts.length} separate arrivals`;
  }
  if (lateHead) {
    evidence.lateHead = true;
    if (late) message += `; the response head itself waited ${seconds(headAtMs)}`;
  }
  return late
    ? { code: 'buffered', level: 'warn', message, advice: likelyCause(observation), evidence }
    : { code: 'buffered', level: 'ok', message, evidence };
}

/** Events split where more than SAME_BURST_MS passes between two arrivals. */
function burstsOf(events: readonly ObservedEvent[]): ObservedEvent[][] {
  const bursts: ObservedEvent[][] = [];
  for (const event of events) {
    const current = bursts.at(-1);
    const last = current?.at(-1);
    if (current !== undefined && last !== undefined && event.atMs - last.atMs <= SAME_BURST_MS) current.push(event);
    else bursts.push([event]);
  }
  return bursts;
}

/** What the response head says about who holds the events back. */
function likelyCause(observation: StreamObservation): string {
  const headers = observation.response?.headers ?? {};
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    return `likely cause: compression (Content-Encoding: ${encoding}) holds events until its buffer fills; do not compress text/event-stream, or flush after every event`;
  }
  const server = (headers.server ?? '').toLowerCase();
  const via = headers.via;
  if (server.includes('nginx') || (via !== undefined && headers['x-accel-buffering'] === undefined)) {
    return `likely cause: a buffering reverse proxy${via === undefined ? '' : ` (Via: ${via})`}${server.includes('nginx') ? ' (Server: nginx)' : ''}; nginx buffers a proxied response unless the application sends X-Accel-Buffering: no (or proxy_buffering is off)`;
  }
  if (headers['cf-ray'] !== undefined || server.includes('cloudflare') || headers['x-cache'] !== undefined) {
    return 'likely cause: a CDN in front of the server buffers the response; turn buffering off for this path, or stream over a path the CDN passes through';
  }
  return 'likely cause: something between the server and the client holds output: a reverse proxy or CDN that buffers, compression, or the server writing into a buffer it does not flush after each event';
}
