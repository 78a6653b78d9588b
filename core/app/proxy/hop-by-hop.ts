/**
Headers that describe one hop, not the message (RFC 9110 §7.6.1): a proxy removes
them, together with every header the Connection header names, before forwarding.
*/
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** A header list as node:http's rawHeaders: name, value, name, value … */
export type RawHeaders = readonly string[];

/** The lower-case names the Connection header(s) of `raw` list. */
function connectionListed(raw: RawHeaders): Set<string> {
  const listed = new Set<string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if ((raw[i] ?? '').toLowerCase() !== 'connection') continue;
    for (const token of (raw[i + 1] ?? '').split(',')) {
      const name = token.trim().toLowerCase();
      if (name !== '') listed.add(name);
    }
  }
  return listed;
}

/**
`raw` without hop-by-hop headers, in order and with the original spelling and
duplicates (two Set-Cookie headers stay two), minus any name in `drop` too.
*/
export function endToEndHeaders(raw: RawHeaders, drop: ReadonlySet<string> = new Set()): string[] {
  const listed = connectionListed(raw);
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? '';
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || listed.has(lower) || drop.has(lower)) continue;
    kept.push(name, raw[i + 1] ?? '');
  }
  return kept;
}

/** The first value of a header in a raw list, by lower-case name. */
export function rawHeader(raw: RawHeaders, lowerName: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if ((raw[i] ?? '').toLowerCase() === lowerName) return raw[i + 1];
  }
  return undefined;
}
