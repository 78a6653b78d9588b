import { readFileSync } from 'node:fs';

/** The TCP state code of a listening socket in /proc/net/tcp. */
const LISTEN = '0A';

/** `0100007F` (little-endian hex, as /proc writes IPv4) → `127.0.0.1`. */
function ipv4(hex: string): string {
  return [6, 4, 2, 0].map((at) => Number.parseInt(hex.slice(at, at + 2), 16)).join('.');
}

/** `00000000000000000000000001000000` → `0:0:0:0:0:0:0:1` (uncompressed, enough to tell loopback from any). */
function ipv6(hex: string): string {
  const words: string[] = [];
  for (let at = 0; at < 32; at += 8) {
    const word = hex.slice(at, at + 8);
    // Each 32-bit word is in host (little-endian) byte order.
    const bytes = [6, 4, 2, 0].map((i) => word.slice(i, i + 2)).join('');
    words.push(bytes.slice(0, 4), bytes.slice(4, 8));
  }
  return words.map((word) => Number.parseInt(word, 16).toString(16)).join(':');
}

/**
The local addresses of the sockets listening on `port`, read from the kernel's table
(Linux). It shows what a listener is bound to without connecting to any address
other than loopback.
*/
export function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const [file, decode] of [
    ['/proc/net/tcp', ipv4],
    ['/proc/net/tcp6', ipv6],
  ] as const) {
    let table: string;
    try {
      table = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const row of table.split('\n').slice(1)) {
      const [, local, , state] = row.trim().split(/\s+/);
      if (local === undefined || state !== LISTEN) continue;
      const [address = '', portHex = ''] = local.split(':');
      if (Number.parseInt(portHex, 16) === port) found.push(decode(address));
    }
  }
  return found;
}
