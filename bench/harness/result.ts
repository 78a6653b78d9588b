import { median } from './stats.js';

/** One measured quantity; values are stored in the unit the label names. */
export interface MetricSpec {
  readonly key: string;
  readonly label: string;
  readonly digits: number;
}

/** subject/base for one metric, per round; with a target when the project sets one. */
export interface RatioSpec {
  readonly subject: string;
  readonly base: string;
  readonly metric: string;
  readonly target?: { readonly op: '>=' | '<='; readonly value: number };
}

export interface Ratio extends RatioSpec {
  readonly perRound: readonly number[];
  readonly median: number;
  /** undefined when there is no target or no data. */
  readonly met: boolean | undefined;
}

/** A target that is not a ratio (e.g. "line mode does not load Ink"). */
export interface Check {
  readonly text: string;
  readonly met: boolean | undefined;
}

interface SubjectRow {
  readonly subject: string;
  readonly medians: Readonly<Record<string, number>>;
  readonly samples: Readonly<Record<string, readonly number[]>>;
}

export interface BenchmarkResult {
  readonly name: string;
  readonly title: string;
  /** Sizes and method in one line. */
  readonly setup: string;
  readonly rounds: number;
  readonly metrics: readonly MetricSpec[];
  readonly rows: readonly SubjectRow[];
  readonly ratios: readonly Ratio[];
  readonly checks: readonly Check[];
  readonly notes: readonly string[];
  /** Why the benchmark did not run, if it did not. */
  readonly notDone?: string;
  /** Wall time the benchmark took, set by the runner. */
  readonly seconds?: number;
}

/** Collects per-round values for each subject, then reduces them to medians and ratios. */
export function createRecorder(subjects: readonly string[], metrics: readonly MetricSpec[]) {
  // samples[subject][metric][round]
  const samples = new Map<string, Map<string, number[]>>(
    subjects.map((subject) => [subject, new Map(metrics.map((metric) => [metric.key, []]))]),
  );

  return {
    record(round: number, subject: string, values: Readonly<Record<string, number>>): void {
      const bySubject = samples.get(subject);
      if (!bySubject) throw new Error(`unknown subject "${subject}"`);
      for (const metric of metrics) {
        const list = bySubject.get(metric.key) ?? [];
        list[round] = values[metric.key] ?? Number.NaN;
        bySubject.set(metric.key, list);
      }
    },

    finish(
      header: { name: string; title: string; setup: string; rounds: number },
      ratioSpecs: readonly RatioSpec[],
      checks: readonly Check[],
      notes: readonly string[],
    ): BenchmarkResult {
      const valuesOf = (subject: string, metric: string): number[] => samples.get(subject)?.get(metric) ?? [];
      const rows = subjects.map((subject) => ({
        subject,
        medians: Object.fromEntries(metrics.map((metric) => [metric.key, median(valuesOf(subject, metric.key))])),
        samples: Object.fromEntries(
          metrics.map((metric) => [
            metric.key,
            Array.from(valuesOf(subject, metric.key), (value) => value ?? Number.NaN),
          ]),
        ),
      }));
      const ratios = ratioSpecs.map((spec): Ratio => {
        const top = valuesOf(spec.subject, spec.metric);
        const bottom = valuesOf(spec.base, spec.metric);
        const perRound = Array.from(
          { length: header.rounds },
          (_, round) => (top[round] ?? Number.NaN) / (bottom[round] ?? Number.NaN),
        );
        const value = median(perRound);
        const met =
          spec.target === undefined || Number.isNaN(value)
            ? undefined
            : spec.target.op === '>='
              ? value >= spec.target.value
              : value <= spec.target.value;
        return { ...spec, perRound, median: value, met };
      });
      return { ...header, metrics, rows, ratios, checks, notes };
    },
  };
}

export function notDone(name: string, title: string, reason: string): BenchmarkResult {
  return {
    name,
    title,
    setup: '',
    rounds: 0,
    metrics: [],
    rows: [],
    ratios: [],
    checks: [],
    notes: [],
    notDone: reason,
  };
}

/**
The evidence that the load generator was not the bottleneck: with the floor (the
fastest subject) its CPU share stayed under `limitPct` of one core in the median
round. A generator that falls behind reads bigger chunks, which costs it less per
event, so it limits throughput only when it is saturated.
*/
export function loadKeptUp(result: BenchmarkResult, subject: string, metric: string, limitPct: number): Check {
  const samples = result.rows.find((row) => row.subject === subject)?.samples[metric] ?? [];
  const finite = samples.filter((value) => Number.isFinite(value));
  const middle = median(finite);
  const highest = finite.length === 0 ? Number.NaN : Math.max(...finite);
  const shown = (value: number): string => (Number.isNaN(value) ? '—' : `${value.toFixed(0)} %`);
  return {
    text: `load generator kept up: its CPU with the ${subject} was ${shown(middle)} of a core in the median round (highest ${shown(highest)}), under ${limitPct} %`,
    met: Number.isNaN(middle) ? undefined : middle < limitPct,
  };
}
