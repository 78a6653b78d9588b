import type { ConnectAnswer } from '../../index.js';

/** What new stream requests are answered (the console's `respond`, clack-sse's on-connect). */
export interface RespondPolicy {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  /** Answer one request this way, then go back to streaming. */
  readonly once: boolean;
}

export const normalPolicy: RespondPolicy = { status: 200, headers: [], once: false };

const meanings: Readonly<Record<number, string>> = {
  200: 'stream',
  204: 'browsers stop reconnecting',
  401: 'browsers fail the connection',
  403: 'browsers fail the connection',
  404: 'browsers fail the connection',
  500: 'browsers fail the connection',
  503: 'browsers fail the connection',
};

function redirectMeaning(policy: RespondPolicy): string | undefined {
  if (policy.status < 300 || policy.status >= 400) return undefined;
  const followed = [301, 302, 303, 307, 308].includes(policy.status);
  const location = policy.headers.some(([name]) => name.toLowerCase() === 'location');
  return followed && location ? 'browsers follow Location and stream from there' : 'browsers fail the connection';
}

export function describePolicy(policy: RespondPolicy): string {
  const meaning =
    redirectMeaning(policy) ??
    meanings[policy.status] ??
    (policy.status === 200 ? 'stream' : 'browsers fail the connection');
  const headers =
    policy.headers.length > 0 ? ` +${policy.headers.length} header${policy.headers.length > 1 ? 's' : ''}` : '';
  return `${policy.status}${policy.once ? ' once' : ''}${headers} (${meaning})`;
}

export function isNormal(policy: RespondPolicy): boolean {
  return policy.status === 200 && policy.headers.length === 0;
}

/** The answer the stream's connect hook gives under a policy. */
export function answerFor(policy: RespondPolicy): ConnectAnswer {
  const headers = Object.fromEntries(policy.headers);
  if (policy.status === 200) return { status: 200, headers };
  // 204 and 304 must not carry a body; the others explain themselves to curl users.
  const body =
    policy.status === 204 || policy.status === 304
      ? undefined
      : policy.once
        ? `sse-console answered ${policy.status} because of \`respond ${policy.status} --once\`; the next connection streams again.\n`
        : `sse-console answered ${policy.status} because of \`respond ${policy.status}\`; type \`respond reset\` to stream again.\n`;
  return { status: policy.status, headers, ...(body === undefined ? {} : { body }) };
}
