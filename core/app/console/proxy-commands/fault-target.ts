import { shown } from '../../commands/messages.js';
import { parseConnectionId } from '../../commands/values.js';
import type { FaultParse, ProxyContext } from './proxy-module.js';

/** A fault command's target: a connection number, or all (also when absent). */
export type FaultTarget = number | 'all';

/** The usage part of a module's first overview row (`delay DURATION [CONN|all]`). */
export const usageOf = (overview: readonly (readonly [string, string])[]): string => overview[0]?.[0] ?? '';

export function faultTarget(word: string | undefined, usage: string): FaultParse<FaultTarget> {
  if (word === undefined || word === 'all') return { ok: true, command: 'all' };
  const id = parseConnectionId(word, ' or all');
  return id.ok ? { ok: true, command: id.value } : { ok: false, error: `${id.error}; usage: ${usage}` };
}

/** `name: error`, the one line a fault command's mistake becomes. */
export const faultError = (name: string, error: string): { readonly ok: false; readonly error: string } => ({
  ok: false,
  error: `${name}: ${error}`,
});

/** `pause CONN|all` and `resume CONN|all`: exactly one target. */
export function parseTargetOnly<N extends string>(
  name: N,
  words: readonly string[],
  usage: string,
): FaultParse<{ readonly name: N; readonly target: FaultTarget }> {
  const [, first, second] = words;
  if (first === undefined) return faultError(name, `say which stream: a number from conns, or all; usage: ${usage}`);
  if (second !== undefined) return faultError(name, `unexpected ${shown(second)}; usage: ${usage}`);
  const chosen = faultTarget(first, usage);
  return chosen.ok ? { ok: true, command: { name, target: chosen.command } } : faultError(name, chosen.error);
}

/** Where a fault acts, in words. */
export const faultPlace = (target: FaultTarget): string =>
  target === 'all' ? 'all streams (and new ones)' : `#${target}`;

/** A fault's run for a live target only ("no proxied stream #N" otherwise); the panes redraw after. */
export function onLiveTarget<C extends { readonly target: FaultTarget }>(
  run: (command: C, context: ProxyContext) => void,
): (command: C, context: ProxyContext) => void {
  return (command, context) => {
    if (command.target !== 'all' && !context.exists(command.target)) {
      context.noStream(command.target);
      return;
    }
    run(command, context);
    context.changed();
  };
}
