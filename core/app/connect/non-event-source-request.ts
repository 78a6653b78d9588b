/**
What a console should say about a request EventSource cannot make: `undefined` for a
plain GET. A browser's EventSource only sends GET without a body.
*/
export function describeNonEventSourceRequest(method: string, hasBody: boolean): string | undefined {
  const upper = method.toUpperCase();
  if (upper === 'GET' && !hasBody) return undefined;
  return `a browser's EventSource cannot make this request (it only sends GET without a body): this is a ${upper} request${hasBody ? ' with a body' : ''}, so fetch's semantics apply, and a browser page would read this stream with fetch() and a parser, not EventSource`;
}
