import { MIMEType } from 'node:util';

/** The MIME type fetch extracts from a Content-Type header: what a browser reads a response as. */
export interface ExtractedMimeType {
  /** `type/subtype` in lower case. */
  readonly essence: string;
  /** The `charset` parameter as sent, if any. */
  readonly charset: string | undefined;
}

/**
Fetch's "extract a MIME type" (fetch.spec.whatwg.org): a response may carry several
Content-Type headers, which fetch joins with ", ". Each comma-separated value is parsed
on its own; values that do not parse, and `*\/*`, are skipped; the last valid one wins
(a charset carries over from an earlier value of the same essence). `undefined` when no
value is a valid MIME type. This is how a browser decides whether a response is
`text/event-stream`.
*/
export function extractMimeType(headerValue: string | null): ExtractedMimeType | undefined {
  if (headerValue === null) return undefined;
  let charset: string | undefined;
  let essence: string | undefined;
  let mimeType: ExtractedMimeType | undefined;
  for (const value of splitHeaderValues(headerValue)) {
    let parsed: MIMEType;
    try {
      parsed = new MIMEType(value);
    } catch {
      continue;
    }
    if (parsed.essence === '*/*') continue;
    const parsedCharset = parsed.params.get('charset') ?? undefined;
    if (parsed.essence !== essence) {
      charset = parsedCharset;
      essence = parsed.essence;
    } else if (parsedCharset !== undefined) {
      charset = parsedCharset;
    }
    mimeType = { essence, charset };
  }
  return mimeType;
}

/** Fetch's "get, decode, and split": commas inside a quoted string do not split. */
function splitHeaderValues(value: string): string[] {
  const values: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index] ?? '';
    if (quoted && char === '\\' && index + 1 < value.length) {
      current += char + (value[index + 1] ?? '');
      index += 1;
    } else if (char === '"') {
      quoted = !quoted;
      current += char;
    } else if (char === ',' && !quoted) {
      values.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  values.push(current.trim());
  return values;
}
