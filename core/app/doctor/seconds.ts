/** A duration for a finding: `1.5 s` from a second up, else whole milliseconds. */
export function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
