/**
Splits one input chunk into the keys it holds. Ink hands `useInput` a run of plain
bytes as one string and splits out only Backspace and Ctrl+C; a terminal under load,
or a paste, can deliver several Ctrl+letter keys together (Ctrl+W Ctrl+W, Ctrl+E
Ctrl+U), which would otherwise arrive as one string of control characters. Tab, LF
and CR stay in the text: they belong to pasted lines, which the prompt runs one by one.
*/

export interface ChunkKey {
  /** The letter for a Ctrl key (as Ink reports it), else the text. */
  readonly input: string;
  readonly ctrl: boolean;
}

// Ctrl+A … Ctrl+Z, less Tab (0x09), LF (0x0a) and CR (0x0d); Backspace (0x08) Ink splits itself.
const ctrlLetter = /[\u0001-\u0007\u000b\u000c\u000e-\u001a]/;
const ctrlLetters = new RegExp(ctrlLetter.source, 'g');

/** Whether `input` holds a Ctrl+letter key among other characters. */
export function holdsSeveralKeys(input: string): boolean {
  return input.length > 1 && ctrlLetter.test(input);
}

/** The keys in `input`, in order: each Ctrl+letter alone, the text between them as it is. */
export function splitKeyChunk(input: string): ChunkKey[] {
  const keys: ChunkKey[] = [];
  let textStart = 0;
  for (const match of input.matchAll(ctrlLetters)) {
    if (match.index > textStart) keys.push({ input: input.slice(textStart, match.index), ctrl: false });
    keys.push({ input: String.fromCharCode(match[0].charCodeAt(0) + 0x60), ctrl: true });
    textStart = match.index + 1;
  }
  if (textStart < input.length) keys.push({ input: input.slice(textStart), ctrl: false });
  return keys;
}
