import { clockTime } from '../console/format.js';

/** What an `every` job knows at each run. */
export interface PlaceholderValues {
  /** The run number, from 1. */
  readonly n: number;
  readonly now: Date;
}

/** Placeholder names `every` fills in, for help and messages. */
export const PLACEHOLDERS = ['{n}', '{time}', '{iso}', '{date}'] as const;

const PLACEHOLDER = /\{(n|time|iso|date)\}/g;

function valueOf(name: string, { n, now }: PlaceholderValues): string {
  switch (name) {
    case 'n':
      return String(n);
    case 'time':
      return clockTime(now.getTime());
    case 'iso':
      // toISOString throws on an invalid Date; a job must never crash on a bad clock.
      return Number.isNaN(now.getTime()) ? String(now) : now.toISOString();
    default:
      return now.toLocaleString();
  }
}

/**
Fill {n}, {time} (HH:MM:SS, local), {iso} (ISO 8601, UTC) and {date} (local date
and time) inside each token. One pass, so a filled-in value is never filled again;
other braces (JSON) are left alone.
*/
export function substitutePlaceholders(tokens: readonly string[], values: PlaceholderValues): string[] {
  return tokens.map((token) => token.replace(PLACEHOLDER, (_match, name: string) => valueOf(name, values)));
}
