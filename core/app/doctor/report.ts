import { stripUnsafe, terminalJson } from '../../terminal/terminal-text.js';
import { wrapHanging } from '../text/wrap-text.js';
import { isProblem, type Finding, type FindingLevel } from './finding.js';

const MARKS: Readonly<Record<FindingLevel, string>> = { ok: '✓', info: 'i', warn: '!', error: '✗' };
/** Wide enough for the longest code (`compressed`, `reconnect`). */
const CODE_COLUMNS = 11;

/**
The findings for a terminal: one line each (wrapped with a hanging indent), the
advice on its own line below, problems first, then a closing count. What a server
sent is stripped of control characters first: it came off the network.
*/
export function reportText(findings: readonly Finding[], width: number): string {
  // Problems first; the rest in the order the checks ran (headers, delivery, idle, reconnect).
  const sorted = [...findings.filter(isProblem), ...findings.filter((finding) => !isProblem(finding))];
  const rows: string[] = [];
  for (const finding of sorted) {
    const first = `${MARKS[finding.level]} ${finding.code.padEnd(CODE_COLUMNS)}`;
    rows.push(...wrapHanging(first, stripUnsafe(finding.message), width));
    if (finding.advice !== undefined) {
      rows.push(...wrapHanging(' '.repeat(first.length), `→ ${stripUnsafe(finding.advice)}`, width));
    }
  }
  const problems = findings.filter(isProblem).length;
  rows.push('', problems === 0 ? 'No problems found.' : `${problems} problem${problems === 1 ? '' : 's'} found.`);
  return `${rows.join('\n')}\n`;
}

/** One JSON object per finding, one per line (control characters escaped, as every JSON line the tool writes). */
export function reportJson(findings: readonly Finding[]): string {
  return findings.map((finding) => `${terminalJson(finding)}\n`).join('');
}
