/*
"Did you mean …?" for mistyped commands, flags and help topics. Hand-written: the
optimal-string-alignment distance is a dozen lines, and words are short.
*/

const LONGEST_COMPARED = 64;

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

/**
The candidate `word` was most likely meant to be, or undefined: the only candidate
it is a prefix of, else the closest within about one edit in three characters
(case is ignored).
*/
export function closestWord(typed: string, candidates: readonly string[]): string | undefined {
  if (typed === '' || typed.length > LONGEST_COMPARED) return undefined;
  const word = typed.toLowerCase();
  const prefixed = candidates.filter((candidate) => candidate.startsWith(word));
  if (word.length >= 2 && prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    const allowed = Math.max(1, Math.ceil(Math.max(word.length, candidate.length) / 3));
    if (distance <= allowed && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
