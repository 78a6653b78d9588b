import { printable } from '../http/printable.js';

/** A channel name as it appears in `/events/NAME`: 1 to 64 letters, digits, `-` or `_`. */
const CHANNEL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Undefined for a good channel name, else what is wrong with it (one line). */
export function channelNameProblem(name: string): string | undefined {
  if (CHANNEL_NAME.test(name)) return undefined;
  return `a channel name is 1 to 64 letters, digits, - or _ (it is the NAME in /events/NAME); got "${printable(name, 80)}"`;
}
