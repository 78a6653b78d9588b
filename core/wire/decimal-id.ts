/**
The number a canonical decimal id stands for: digits only, no sign, no leading zero,
at most 2^53−1, so `"5"` → 5, and `"05"`, `"+5"`, `"5.0"`, `" 5"` or
`"9007199254740993"` → undefined. An id sent as `5` and one sent as `"5"` are the
same on the wire (`id: 5`): the stream, its stores and the console all read a
Last-Event-ID or a stored id through this one rule.
@example
```ts
decimalId('42'); // 42
decimalId('order-7'); // undefined
```
*/
export function decimalId(text: string): number | undefined {
  // The first-character test keeps the usual non-numeric id (a UUID) off the regex; ids
  // go up to 2^53−1 (16 digits), so the length bound skips a huge header value at once.
  const first = text.charCodeAt(0);
  if (first < 0x30 || first > 0x39 || text.length > 16 || !/^(?:0|[1-9][0-9]*)$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** An id as a number: a number as it is, a string by `decimalId`; undefined for any other string. */
export function numericId(id: number | string): number | undefined {
  return typeof id === 'number' ? id : decimalId(id);
}
