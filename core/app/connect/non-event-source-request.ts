/**
Whose rules a request follows: a plain GET is what a browser's EventSource makes;
anything else (another method, a body) a page can only make with fetch(). (The client
applies the same rule to the response it accepts.)
*/
export type RequestSemantics = 'eventsource' | 'fetch';

/** `eventsource` for a GET without a body, else `fetch`. */
export function requestSemantics(method: string, hasBody: boolean): RequestSemantics {
  return method.toUpperCase() === 'GET' && !hasBody ? 'eventsource' : 'fetch';
}

/**
What a console should say about a request EventSource cannot make: `undefined` for a
plain GET. A browser's EventSource only sends GET without a body.
*/
export function describeNonEventSourceRequest(method: string, hasBody: boolean): string | undefined {
  if (requestSemantics(method, hasBody) === 'eventsource') return undefined;
  const upper = method.toUpperCase();
  return `a browser's EventSource cannot make this request (it only sends GET without a body): this is a ${upper} request${hasBody ? ' with a body' : ''}, so fetch's semantics apply, and a browser page would read this stream with fetch() and a parser, not EventSource`;
}
