import { STATUS_CODES, validateHeaderName, validateHeaderValue, type ServerResponse } from 'node:http';
import { showLine as printable } from '../../terminal/terminal-text.js';

/**
What node:http lets a response's reason phrase and header values hold (RFC 9112:
HTAB, SP, visible ASCII, obs-text). node:http's client reads an upstream's head more
leniently than its server writes one: a reason phrase with an ESC in it arrives, and
handing it back to `writeHead` throws.
*/
const sendableText = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
Writes an upstream's status line and headers to the browser, replacing what
node:http refuses to send instead of throwing: a reason phrase with forbidden
characters becomes the standard one for the status, a header it refuses is left
out. Returns what was changed, in words (empty when nothing was). Throws only for
what cannot be passed on at all (a status outside 100-999), with `res` left as it
was so the caller can still answer.
*/
export function writeUpstreamHead(
  res: ServerResponse,
  status: number,
  reason: string | undefined,
  headers: readonly string[],
): string[] {
  const changes: string[] = [];
  let sentReason = reason ?? '';
  if (!sendableText.test(sentReason)) {
    const standard = STATUS_CODES[status] ?? '';
    changes.push(
      `the app's reason phrase "${printable(sentReason, 80)}" has characters HTTP forbids; the browser got "${standard}" instead`,
    );
    sentReason = standard;
  }
  const kept: string[] = [];
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = headers[i] ?? '';
    const value = headers[i + 1] ?? '';
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
      kept.push(name, value);
    } catch {
      changes.push(`the app's header "${printable(name, 80)}" has characters HTTP forbids; it was left out`);
    }
  }
  try {
    res.writeHead(status, sentReason, kept);
  } catch (error) {
    // writeHead keeps the reason it was given even when it throws: a later answer must not inherit it.
    res.statusMessage = '';
    throw error;
  }
  return changes;
}
