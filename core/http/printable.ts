/**
Text from a request (a Last-Event-ID, a user agent, a path) made safe to keep and to
show in a terminal: cut to `max` characters and with control characters (C0, DEL,
C1, which includes the 8-bit CSI) and bidi overrides written as `\u{…}` escapes, so
a client cannot move the console's cursor, clear its screen or reorder its text.
*/
export function printable(text: string, max = 256): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return cut.replace(
    /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (char) => `\\u{${char.charCodeAt(0).toString(16)}}`,
  );
}
