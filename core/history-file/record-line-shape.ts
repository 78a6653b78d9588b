/**
A cheap look at one JSON Lines record before JSON.parse. A record (a history file's
stored event, or a line of a `--record` recording) is one flat object of a few
fields whose values are strings and numbers; JSON.parse of a line of the same size
that is nested arrays or objects builds millions of values (a 63 MiB line of `[`
took 10 s and 3 GB). This walks the line once, jumping over strings with indexOf,
and stops at the first sign that it is not that shape.
*/

/** Deepest nesting a record line may have (a record itself is depth 1). */
const MAX_RECORD_NESTING = 8;
/** Most structural characters (`{ [ , :`) outside strings: a record has a dozen. */
const MAX_RECORD_MEMBERS = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
Why one line of JSON Lines cannot be a flat record (an event of a history file, or a
line of a recording), found without parsing it; undefined when it may be one. Call it
before `JSON.parse` on a line from a file you did not write: a line of nested arrays
or objects makes `JSON.parse` build millions of values (a 63 MiB line of `[` took
10 s and 3 GB), and this walks the line once and stops at the first sign.

@example
```ts
const problem = recordShapeProblem(line);
if (problem === undefined) record = JSON.parse(line);
else console.warn(`line ${n} skipped: ${problem}`);
```
@public
*/
export function recordShapeProblem(line: string): string | undefined {
  let depth = 0;
  let members = 0;
  let at = 0;
  const end = line.length;
  while (at < end) {
    const char = line.charCodeAt(at);
    if (char === QUOTE) {
      at = closingQuote(line, at + 1);
      if (at === -1) return undefined; // an unterminated string: JSON.parse says so, cheaply
      at += 1;
      continue;
    }
    if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      depth += 1;
      members += 1;
      if (depth > MAX_RECORD_NESTING) {
        return `nested more than ${MAX_RECORD_NESTING} levels deep (a record is one flat object like {"data":"text","storedAt":0})`;
      }
    } else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
      depth -= 1;
    } else if (char === COMMA || char === COLON) {
      members += 1;
    }
    if (members > MAX_RECORD_MEMBERS) {
      return `more than ${MAX_RECORD_MEMBERS} values outside strings (a record is one flat object like {"data":"text","storedAt":0})`;
    }
    at += 1;
  }
  return undefined;
}

/** The index of the quote that ends the string starting at `from`, or -1. */
function closingQuote(line: string, from: number): number {
  let at = from;
  for (;;) {
    const quote = line.indexOf('"', at);
    if (quote === -1) return -1;
    // Escaped when an odd number of backslashes stand right before it.
    let backslashes = 0;
    for (let i = quote - 1; i >= from && line.charCodeAt(i) === BACKSLASH; i -= 1) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    at = quote + 1;
  }
}
