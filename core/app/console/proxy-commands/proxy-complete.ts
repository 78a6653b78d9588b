import { MAX_LINE_LENGTH, quoteWord, tokenize } from '../../commands/index.js';
import { consoleLanguage } from '../console-language.js';
import type { Completion } from '../types.js';
import { proxyCommandWords, proxyModuleNamed } from './proxy-table.js';

/**
Tab in proxy mode, from the proxy's command table: its command names, then what a
command takes. Commands the console also has complete from the console's table,
less what proxy mode refuses (`send --id`); the fault commands offer `all` where
a target goes. Never throws.
*/
export function completeProxyLine(line: string, cursor = line.length): Completion {
  const end = Math.max(0, Math.min(Number.isInteger(cursor) ? cursor : line.length, line.length));
  const before = line.slice(0, end);
  if (before.length > MAX_LINE_LENGTH) return { from: end, candidates: [] };
  // An unclosed quote still has its words: the last one is being typed.
  const { tokens } = tokenize(before);
  const last = tokens.at(-1);
  const current = last !== undefined && last.end === before.length ? last : undefined;
  const done = (current === undefined ? tokens : tokens.slice(0, -1)).map((token) => token.text);
  const prefix = current?.text ?? '';
  const from = current?.start ?? end;
  const offer = (words: readonly string[]): Completion => ({
    from,
    candidates: [...new Set(words.filter((word) => word.startsWith(prefix)))].sort().map(quoteWord),
  });
  const [name] = done;
  if (name === undefined) return offer(proxyCommandWords());
  const module = proxyModuleNamed(name);
  if (module === undefined) return { from: end, candidates: [] };
  if (name === 'help') return offer(done.length === 1 ? proxyCommandWords() : []);
  if (module.parse !== undefined) return offer(module.completes?.(done.length) ?? []);
  const refused = new Set(module.refusedFlags ?? []);
  const console = consoleLanguage.complete(line, cursor);
  return { from: console.from, candidates: console.candidates.filter((word) => !refused.has(word)) };
}
