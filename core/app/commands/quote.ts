/*
The inverse of tokenize(): writes words back as a line that tokenizes to the same
words. Used to show an `every` job's command and to insert completions.
*/

const PLAIN_WORD = /^[^\s"'\\]+$/u;

const ESCAPED: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** A word as it would be typed: bare when it can be, otherwise in double quotes. */
export function quoteWord(word: string): string {
  if (PLAIN_WORD.test(word)) return word;
  return `"${word.replace(/["\\\n\r\t]/g, (ch) => ESCAPED[ch] ?? ch)}"`;
}

/** Words joined into one line that tokenize() splits back into the same words. */
export function joinWords(words: readonly string[]): string {
  return words.map(quoteWord).join(' ');
}
