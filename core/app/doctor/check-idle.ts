import type { Finding } from './finding.js';
import { seconds } from './seconds.js';
import type { StreamObservation } from './observation.js';

/** A stream that ends after this long without a byte was cut for being idle. */
const IDLE_CUT_MIN_MS = 1000;
/** Idle time many proxies and load balancers allow (nginx proxy_read_timeout, AWS ALB). */
const COMMON_IDLE_LIMIT_MS = 60_000;
/** A silence this long, with no heartbeat, is reported as a risk. */
const RISKY_SILENCE_MS = 30_000;

/**
Whether the stream was cut after a quiet spell (an idle timeout in a proxy or load
balancer), and whether a heartbeat keeps it from being cut.
*/
export function checkIdle(observation: StreamObservation): Finding[] {
  const head = observation.response;
  if (head === undefined) return [];
  const quietAtEnd = observation.endedAtMs - observation.lastByteAtMs;
  const heartbeats = observation.commentCount;
  if (observation.end === 'server-ended' || observation.end === 'network-error') {
    const how =
      observation.end === 'server-ended' ? 'ended' : `was cut (${observation.endMessage ?? 'connection reset'})`;
    if (quietAtEnd >= IDLE_CUT_MIN_MS) {
      const every = Math.max(1, Math.floor(quietAtEnd / 2000));
      return [
        {
          code: 'idle-cut',
          level: 'warn',
          message: `the stream ${how} after ${seconds(quietAtEnd)} without a byte (no event, no heartbeat comment before it): something cuts idle connections`,
          advice: `send a comment line (": ping") at least every ${every} s, so the connection is never quiet that long`,
          evidence: { quietMs: Math.round(quietAtEnd), endedAtMs: Math.round(observation.endedAtMs), heartbeats },
        },
      ];
    }
    return [
      {
        code: 'idle-cut',
        level: 'info',
        message: `the server ${how} the stream ${seconds(observation.endedAtMs)} after the request, right after data (not an idle cut); EventSource reconnects after its retry time`,
        evidence: { quietMs: Math.round(quietAtEnd), endedAtMs: Math.round(observation.endedAtMs), heartbeats },
      },
    ];
  }
  const longestSilence = Math.max(observation.longestSilenceMs, quietAtEnd);
  if (heartbeats >= 2) {
    const intervals = observation.commentsAtMs
      .slice(1)
      .map((at, index) => at - (observation.commentsAtMs[index] ?? at));
    const typical = median(intervals);
    return [
      {
        code: 'heartbeat',
        level: typical < COMMON_IDLE_LIMIT_MS ? 'ok' : 'warn',
        message: `a heartbeat comment about every ${seconds(typical)} keeps idle proxies from cutting the stream (${heartbeats} seen, longest silence ${seconds(longestSilence)})`,
        evidence: { heartbeats, typicalIntervalMs: Math.round(typical), longestSilenceMs: Math.round(longestSilence) },
      },
    ];
  }
  if (longestSilence >= RISKY_SILENCE_MS) {
    return [
      {
        code: 'heartbeat',
        level: 'warn',
        message: `the stream was silent for ${seconds(longestSilence)} with no heartbeat comment: a proxy or load balancer that cuts idle connections (often at 60 s) will end it`,
        advice: 'send a comment line (": ping") every 15–30 s',
        evidence: { heartbeats, longestSilenceMs: Math.round(longestSilence) },
      },
    ];
  }
  return [
    {
      code: 'heartbeat',
      level: 'info',
      message: `no heartbeat comment in ${seconds(observation.endedAtMs - head.atMs)} (longest silence ${seconds(longestSilence)}): when events pause for a minute, an idle timeout in a proxy may cut the stream`,
      advice: 'send a comment line (": ping") every 15–30 s',
      evidence: { heartbeats, longestSilenceMs: Math.round(longestSilence) },
    },
  ];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
