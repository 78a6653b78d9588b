import type { SseRejectedResponse } from './types.js';

/** The most body bytes read from a response the client does not take as a stream. */
const REJECTED_BODY_BYTES = 64 * 1024;

/**
How long the body of such a response is read: an error body (an LLM API's JSON) comes
with the headers and ends; a 500 answered as a stream may never end.
*/
const REJECTED_BODY_WAIT_MS = 2000;

/**
Reads the start of a response the client refuses (a status other than 200, a
Content-Type other than text/event-stream), so a console can show what a page using
fetch() would read: at most REJECTED_BODY_BYTES, for at most REJECTED_BODY_WAIT_MS,
then the body is cancelled. Never rejects: a failure while reading ends the reading.
*/
export async function readRejectedResponse(
  response: Response,
  url: URL,
  onBytes: (bytes: Uint8Array, time: Date) => void,
): Promise<SseRejectedResponse> {
  const chunks: Uint8Array[] = [];
  let bodyBytes = 0;
  let bodyEnd: SseRejectedResponse['bodyEnd'] = 'complete';
  const reader: ReadableStreamDefaultReader<Uint8Array> | undefined = response.body?.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), REJECTED_BODY_WAIT_MS);
  });
  try {
    // Bounded: each turn takes bytes the server sent, up to REJECTED_BODY_BYTES, or ends.
    while (reader !== undefined) {
      const result = await Promise.race([reader.read(), timedOut]);
      if (result === 'timeout') {
        bodyEnd = 'timeout';
        break;
      }
      if (result.done) break;
      onBytes(result.value, new Date());
      const room = REJECTED_BODY_BYTES - bodyBytes;
      chunks.push(result.value.byteLength > room ? result.value.subarray(0, room) : result.value);
      bodyBytes += Math.min(room, result.value.byteLength);
      if (result.value.byteLength >= room) {
        bodyEnd = 'limit';
        break;
      }
    }
  } catch {
    bodyEnd = 'error';
  } finally {
    clearTimeout(timer);
    reader?.cancel().catch(() => {});
  }
  return {
    url: url.href,
    redirected: response.redirected,
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers],
    body: new TextDecoder().decode(Buffer.concat(chunks)),
    bodyBytes,
    bodyEnd,
  };
}
