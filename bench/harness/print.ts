import type { BenchmarkResult, MetricSpec } from './result.js';

function formatValue(value: number, digits: number): string {
  if (!Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
}

function verdict(met: boolean | undefined): string {
  if (met === undefined) return 'n/a';
  return met ? 'MET' : 'MISSED';
}

function metricLabel(metrics: readonly MetricSpec[], key: string): string {
  return metrics.find((metric) => metric.key === key)?.label ?? key;
}

/** One benchmark as a plain-text table: medians per subject, then ratios and targets. */
export function formatResult(result: BenchmarkResult): string {
  const lines = [result.seconds === undefined ? result.title : `${result.title} (${result.seconds} s)`];
  if (result.notDone !== undefined) {
    lines.push(`  not done: ${result.notDone}`);
    return lines.join('\n');
  }
  lines.push(`  ${result.setup}; medians of ${result.rounds} round${result.rounds === 1 ? '' : 's'}`);
  const header = ['', ...result.metrics.map((metric) => metric.label)];
  const body = result.rows.map((row) => [
    row.subject,
    ...result.metrics.map((metric) => formatValue(row.medians[metric.key] ?? Number.NaN, metric.digits)),
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...body.map((row) => (row[i] ?? '').length)));
  lines.push(`  ${pad(header, widths)}`);
  for (const row of body) lines.push(`  ${pad(row, widths)}`);
  if (result.ratios.length > 0) {
    lines.push('  median of per-round ratios:');
    for (const ratio of result.ratios) {
      const target = ratio.target
        ? `  target ${ratio.target.op === '>=' ? '≥' : '≤'} ${ratio.target.value}: ${verdict(ratio.met)}`
        : '';
      lines.push(
        `    ${ratio.subject} / ${ratio.base}, ${metricLabel(result.metrics, ratio.metric)}: ${formatValue(ratio.median, 3)}×${target}`,
      );
    }
  }
  for (const check of result.checks) lines.push(`  ${check.text}: ${verdict(check.met)}`);
  for (const note of result.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}

/** JSON cannot hold NaN; missing values become null. */
export function toJson(results: readonly BenchmarkResult[], meta: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(
    { ...meta, benchmarks: results },
    (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value),
    2,
  );
}
