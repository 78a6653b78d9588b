import { offerWords, typedWords } from '../../commands/index.js';
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
  const { end, done, prefix, from, tooLong } = typedWords(line, cursor);
  if (tooLong) return { from: end, candidates: [] };
  const offer = (words: readonly string[]): Completion => offerWords(from, prefix, words);
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
