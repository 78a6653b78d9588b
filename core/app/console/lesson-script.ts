import type { ParseResult } from '../commands/types.js';
import { parseDuration } from '../commands/values.js';

/** The console's parser, which checks each command line (handed in: a lesson runs inside the language). */
export type ParseLine = (line: string) => ParseResult;

/** One step of a lesson script, with the 1-based line it came from. */
export type ScriptStep =
  | { readonly line: number; readonly kind: 'narration'; readonly text: string }
  | { readonly line: number; readonly kind: 'sleep'; readonly ms: number; readonly text: string }
  | { readonly line: number; readonly kind: 'wait-connections'; readonly count: number; readonly text: string }
  | { readonly line: number; readonly kind: 'wait-enter'; readonly text: string }
  | { readonly line: number; readonly kind: 'wait-expectations'; readonly text: string }
  | { readonly line: number; readonly kind: 'command'; readonly text: string };

export type ParsedScript =
  | { readonly ok: true; readonly steps: readonly ScriptStep[] }
  | { readonly ok: false; readonly errors: readonly string[] };

/** `wait connections N` accepts 1 to this many (a browser opens at most a few hundred). */
const MAX_WAIT_CONNECTIONS = 10_000;
/** Lines a script may hold; a longer file is surely not a lesson. */
export const MAX_SCRIPT_LINES = 10_000;

const WAIT_USAGE = 'write `wait connections N` (N from 1), `wait enter` or `wait expectations`';

/** The step a line is, or the reason it is none (without the file:line prefix). */
function parseLine(
  raw: string,
  line: number,
  parseCommandLine: ParseLine,
): ScriptStep | { readonly error: string } | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  if (text.startsWith('#')) return { line, kind: 'narration', text: text.slice(1).trim() };
  const [word = '', ...rest] = text.split(/\s+/);
  if (word === 'sleep') {
    if (rest.length !== 1) return { error: 'sleep takes one DURATION, like sleep 2s' };
    const ms = parseDuration(rest[0] ?? '');
    return ms.ok ? { line, kind: 'sleep', ms: ms.value, text } : { error: `sleep: ${ms.error}` };
  }
  if (word === 'wait') {
    if (rest.length === 1 && rest[0] === 'enter') return { line, kind: 'wait-enter', text };
    if (rest.length === 1 && rest[0] === 'expectations') return { line, kind: 'wait-expectations', text };
    if (rest.length === 2 && rest[0] === 'connections') {
      const count = /^\d+$/.test(rest[1] ?? '') ? Number(rest[1]) : Number.NaN;
      if (count >= 1 && count <= MAX_WAIT_CONNECTIONS) return { line, kind: 'wait-connections', count, text };
      return {
        error: `wait connections N: N must be a whole number from 1 to ${MAX_WAIT_CONNECTIONS}; got "${rest[1] ?? ''}"`,
      };
    }
    return { error: `unknown wait; ${WAIT_USAGE}` };
  }
  if (word === 'source') return { error: 'a script cannot source another script; put its lines here instead' };
  const parsed = parseCommandLine(text);
  return parsed.ok ? { line, kind: 'command', text } : { error: parsed.error };
}

/**
Reads a lesson script: one console command per line, plus `sleep DURATION`,
`wait connections N`, `wait enter`, `wait expectations` and `#` narration. Every line is checked before
anything runs, so a typo on line 40 does not stop a lesson halfway through; every
error names the file and line.
*/
export function parseLessonScript(text: string, file: string, parseCommandLine: ParseLine): ParsedScript {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (lines.length > MAX_SCRIPT_LINES) {
    return { ok: false, errors: [`${file}: ${lines.length} lines; a script holds at most ${MAX_SCRIPT_LINES}`] };
  }
  const steps: ScriptStep[] = [];
  const errors: string[] = [];
  lines.forEach((raw, index) => {
    const step = parseLine(raw, index + 1, parseCommandLine);
    if (step === undefined) return;
    if ('error' in step) errors.push(`${file}:${index + 1}: ${step.error}`);
    else steps.push(step);
  });
  if (errors.length > 0) return { ok: false, errors };
  if (!steps.some((step) => step.kind !== 'narration')) {
    return { ok: false, errors: [`${file}: nothing to run; a script holds console commands, one per line`] };
  }
  return { ok: true, steps };
}
