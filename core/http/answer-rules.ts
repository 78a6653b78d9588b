/**
What a stream URL may answer instead of its normal 200 stream (an `onConnect` hook,
the console's `respond`): one rule for both, so neither can break HTTP framing.
*/

/** The statuses a stream request may be answered with. */
const ANSWER_STATUSES = '200 (stream) or 201 to 599 (a refusal or redirect)';

/**
Why `status` cannot answer a stream request (an `onConnect` answer's `status`), or
undefined if it can: 200 streams, 201 to 599 refuse or redirect.
*/
export function answerStatusProblem(status: number): string | undefined {
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    return `status ${String(status)} is not an HTTP status; use ${ANSWER_STATUSES}`;
  }
  if (status < 200) {
    return (
      `status ${status} is an interim answer (1xx): a final answer must still follow, ` +
      `so it can neither stream nor refuse; use ${ANSWER_STATUSES}`
    );
  }
  return undefined;
}

/**
Headers the server itself must write: they frame the message (its length, its
encoding, the connection's fate), so a value set by hand would desynchronise the
client, and hop-by-hop headers describe one connection, not the answer.
*/
const FRAMING: Readonly<Record<string, string>> = {
  'content-length': 'the server frames the answer itself (a stream has no length)',
  'transfer-encoding': 'the server frames the answer itself (chunked)',
  connection: 'it is hop-by-hop: the server manages the connection',
  'keep-alive': 'it is hop-by-hop: the server manages the connection',
  'proxy-connection': 'it is hop-by-hop: the server manages the connection',
  upgrade: 'it is hop-by-hop and would switch protocols',
  te: 'it is hop-by-hop (a request header)',
  trailer: 'it announces trailers the server never sends',
};

/**
Why header `name` cannot be part of an answer with `status` (an `onConnect` answer's
`headers`), or undefined if it can: framing and hop-by-hop headers never can.
*/
export function answerHeaderProblem(name: string, status: number): string | undefined {
  const lower = name.toLowerCase();
  const reason = FRAMING[lower];
  if (reason !== undefined) {
    return `header ${name} cannot be set: ${reason}`;
  }
  if (lower === 'content-type' && status === 200) {
    return `header ${name} cannot be set on a 200 stream: it is text/event-stream, or it is not an event stream`;
  }
  return undefined;
}
