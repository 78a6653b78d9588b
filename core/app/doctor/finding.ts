/**
How serious a finding is. `ok` and `info` are reported but do not fail the run;
`warn` and `error` make `doctor` exit 1, so it can gate a deployment in CI.
*/
export type FindingLevel = 'ok' | 'info' | 'warn' | 'error';

/** The stable codes `doctor` reports (documented in `sse-console doctor --help`). */
type FindingCode =
  'connect' | 'headers' | 'compressed' | 'buffered' | 'idle-cut' | 'heartbeat' | 'reconnect' | 'ids' | 'post';

/** One thing `doctor` found, in words and with the measurements that show it. */
export interface Finding {
  readonly code: FindingCode;
  readonly level: FindingLevel;
  /** One sentence a developer can act on. */
  readonly message: string;
  /** The likely cause or the fix, when there is one to name. */
  readonly advice?: string;
  /** The figures the finding rests on (JSON-ready). */
  readonly evidence: Readonly<Record<string, unknown>>;
}

/** True when a finding should fail the run. */
export function isProblem(finding: Finding): boolean {
  return finding.level === 'warn' || finding.level === 'error';
}
