/** Median of the finite values; NaN when there are none. */
export function median(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const middle = Math.floor(finite.length / 2);
  return finite.length % 2 === 1
    ? (finite[middle] ?? Number.NaN)
    : ((finite[middle - 1] ?? 0) + (finite[middle] ?? 0)) / 2;
}

/** Nearest-rank quantile (q in 0–1) of the finite values; NaN when there are none. */
export function quantile(values: readonly number[], q: number): number {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  return finite[Math.min(finite.length - 1, Math.max(0, Math.ceil(q * finite.length) - 1))] ?? Number.NaN;
}
