/** Checks of option values that the console's and the proxy's command lines share. */

/** A whole-number option within [min, max]; `fallback` when the option is absent. */
export function wholeNumber(
  flag: string,
  value: string | undefined,
  min: number,
  max: number,
  fallback: number,
): number;
export function wholeNumber(flag: string, value: string | undefined, min: number, max: number): number | undefined;
export function wholeNumber(
  flag: string,
  value: string | undefined,
  min: number,
  max: number,
  fallback?: number,
): number | undefined {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new Error(`${flag} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

/** `--token`: 1 to 256 printable ASCII characters (it travels in URLs and cookies). */
export function tokenOption(token: string | undefined): string | undefined {
  if (token !== undefined && !/^[\x21-\x7e]{1,256}$/.test(token)) {
    throw new Error('--token must be 1 to 256 printable ASCII characters without spaces');
  }
  return token;
}

/** A `--max-buffer` size: characters, or KiB/MiB/GiB; at least 1 KiB. Undefined when not one. */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+)(KiB|MiB|GiB)?$/i.exec(text.trim());
  if (match === null) return undefined;
  const unit = { kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 }[(match[2] ?? '').toLowerCase() as 'kib'] ?? 1;
  const size = Number(match[1]) * unit;
  return size >= 1024 && Number.isSafeInteger(size) ? size : undefined;
}
