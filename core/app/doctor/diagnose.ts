import { checkDelivery } from './check-delivery.js';
import { browserReadsStream, checkHeaders } from './check-headers.js';
import { checkIdle } from './check-idle.js';
import { checkReconnect, resumeCursor } from './check-reconnect.js';
import type { Finding } from './finding.js';
import type { StreamObservation } from './observation.js';
import { watchStream, type WatchRequest } from './watch-stream.js';

/** What `doctor` is asked to examine. */
export interface DiagnoseRequest extends Omit<WatchRequest, 'stopWhen'> {
  /** `--origin`: the page origin to check CORS for; also sent as the Origin header. */
  readonly origin: string | undefined;
  /** Called when the watch starts and when the reconnect check starts, for a progress line. */
  readonly onPhase?: (phase: 'watch' | 'resume') => void;
}

/** The findings and the observations they rest on. */
export interface Diagnosis {
  readonly findings: readonly Finding[];
  readonly observation: StreamObservation;
  readonly resume: StreamObservation | undefined;
}

/** The longest the reconnect check waits for its replay. */
const RESUME_WATCH_MS = 3000;

/**
Watches the stream for the request's duration (or until it ends), then, when its
events carry ids and it is a GET, reconnects once with the Last-Event-ID of an event
that has a successor, to see what a reconnecting browser is sent.
*/
export async function diagnose(request: DiagnoseRequest): Promise<Diagnosis> {
  const headers = { ...request.headers, ...(request.origin === undefined ? {} : { Origin: request.origin }) };
  request.onPhase?.('watch');
  const observation = await watchStream({ ...request, headers });
  const findings: Finding[] = [];
  const response = observation.response;
  if (response === undefined) {
    findings.push({
      code: 'connect',
      level: 'error',
      message: observation.failure ?? 'no response',
      evidence: { url: request.url },
    });
    return { findings, observation, resume: undefined };
  }
  if (response.status !== 200) {
    findings.push({
      code: 'connect',
      level: 'error',
      message: `the server answered ${response.status} ${response.statusText}: EventSource fails any status but 200 and never reconnects${response.status === 204 ? ' (204 is how a server tells it to stop for good)' : ''}`,
      evidence: { status: response.status, bodyStart: observation.bodyStart.slice(0, 200) },
    });
  }
  findings.push(...checkHeaders(response, { origin: request.origin, url: request.url, alpn: observation.alpn }));
  if (!browserReadsStream(response)) {
    return { findings, observation, resume: undefined };
  }
  findings.push(...checkDelivery(observation), ...checkIdle(observation));
  let resume: StreamObservation | undefined;
  const cursor = resumeCursor(observation);
  const isGet = request.method.toUpperCase() === 'GET' && request.body === undefined;
  if (cursor !== undefined && isGet && observation.end !== 'interrupted' && request.signal?.aborted !== true) {
    request.onPhase?.('resume');
    const last = cursor.missed.at(-1);
    resume = await watchStream({
      ...request,
      headers,
      lastEventId: cursor.id,
      durationMs: RESUME_WATCH_MS,
      stopWhen: (event) => event.id === last || event.type === 'reset',
    });
  }
  findings.push(...checkReconnect(observation, resume, request.body !== undefined));
  return { findings, observation, resume };
}
