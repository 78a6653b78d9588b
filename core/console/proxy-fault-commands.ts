import { parseConnectionId, parseDuration, tokenize } from '../commands/index.js';

/**
The proxy's own fault commands: `delay`, `drop`, `pause`, `resume`. Kept apart from
the console's command table because they only mean something in proxy mode, and
one module so the whole set can be renamed or moved in one place.
*/
export type ProxyFaultCommand =
  | { readonly name: 'delay'; readonly ms: number; readonly target: number | 'all' }
  | { readonly name: 'drop'; readonly count: number; readonly target: number | 'all' }
  | { readonly name: 'pause' | 'resume'; readonly target: number | 'all' };

export const PROXY_FAULT_USAGE = [
  'delay DURATION [CONN|all]   hold upstream events back (delay 0 stops); 2s, 500ms …',
  'drop N [CONN|all]           drop the next N upstream events',
  'pause CONN|all              hold upstream events until resume (held events are bounded)',
  'resume CONN|all             send what pause held and stream again',
] as const;

const PROXY_FAULT_WORDS = ['delay', 'drop', 'pause', 'resume'] as const;

export type FaultParse =
  | { readonly ok: true; readonly command: ProxyFaultCommand }
  | { readonly ok: false; readonly error: string }
  | undefined;

function target(
  word: string | undefined,
  usage: string,
): { ok: true; value: number | 'all' } | { ok: false; error: string } {
  if (word === undefined || word === 'all') return { ok: true, value: 'all' };
  const id = parseConnectionId(word, ' or all');
  return id.ok ? { ok: true, value: id.value } : { ok: false, error: `${id.error}; usage: ${usage}` };
}

/** Parses a fault command line; undefined when the line is not one of them. */
export function parseProxyFaultCommand(line: string): FaultParse {
  const tokens = tokenize(line);
  if (!tokens.ok) return undefined;
  const words = tokens.tokens.map((token) => token.text);
  const [name, first, second, ...rest] = words;
  if (!PROXY_FAULT_WORDS.includes(name as (typeof PROXY_FAULT_WORDS)[number])) return undefined;
  const usage = PROXY_FAULT_USAGE.find((text) => text.startsWith(`${name ?? ''} `))?.replace(/\s{2,}.*$/, '') ?? '';
  const fail = (error: string): FaultParse => ({ ok: false, error: `${name ?? ''}: ${error}` });
  if (name === 'pause' || name === 'resume') {
    if (first === undefined) return fail(`say which stream: a number from conns, or all; usage: ${usage}`);
    if (second !== undefined) return fail(`unexpected ${JSON.stringify(second)}; usage: ${usage}`);
    const chosen = target(first, usage);
    return chosen.ok ? { ok: true, command: { name, target: chosen.value } } : fail(chosen.error);
  }
  if (first === undefined) return fail(`missing ${name === 'delay' ? 'DURATION' : 'N'}; usage: ${usage}`);
  if (rest.length > 0) return fail(`unexpected ${JSON.stringify(rest[0])}; usage: ${usage}`);
  const chosen = target(second, usage);
  if (!chosen.ok) return fail(chosen.error);
  if (name === 'delay') {
    if (first === '0') return { ok: true, command: { name, ms: 0, target: chosen.value } };
    const ms = parseDuration(first);
    return ms.ok
      ? { ok: true, command: { name, ms: ms.value, target: chosen.value } }
      : fail(`${ms.error}; usage: ${usage}`);
  }
  if (!/^\d{1,6}$/.test(first) || Number(first) < 1)
    return fail(`N must be a whole number from 1 to 999999, got ${JSON.stringify(first)}; usage: ${usage}`);
  return { ok: true, command: { name: 'drop', count: Number(first), target: chosen.value } };
}
