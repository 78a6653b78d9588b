import { SseArgumentError } from '../errors/sse-error.js';

/** Turns event data that is not a string into the text sent (the `serialize` option of `createSse`). */
export type Serialize = (data: unknown) => string;

/**
The default: JSON. `JSON.stringify` answers nothing for `undefined`, functions and
symbols, and throws for BigInt and cycles; each is refused here with the reason, so a
send never puts `data: undefined` on the wire.
*/
function json(data: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(data);
  } catch (error) {
    throw new SseArgumentError(
      'data',
      `data that is not a string is sent as JSON, and this ${typeof data} cannot be (${error instanceof Error ? error.message : String(error)}): send a string, or give createSse a serialize option`,
      { cause: error },
    );
  }
  if (text === undefined) {
    throw new SseArgumentError(
      'data',
      `data must be a string or a JSON value: got ${typeof data}, which JSON cannot hold (leave data out for an empty event)`,
    );
  }
  return text;
}

/**
The serializer a stream uses: the application's, checked to answer a string, or JSON.
Checked once, at `createSse`.
*/
export function serializerFrom(custom: unknown): Serialize {
  if (custom === undefined) return json;
  if (typeof custom !== 'function') {
    throw new SseArgumentError('serialize', `serialize must be a function (data) => string: got ${typeof custom}`);
  }
  // Checked to be a function; what it answers is checked on every call.
  const serialize = custom as (data: unknown) => unknown;
  return (data) => {
    const text = serialize(data);
    if (typeof text !== 'string') {
      throw new SseArgumentError('serialize', `serialize must return a string: it returned ${typeof text}`);
    }
    return text;
  };
}
