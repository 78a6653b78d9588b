/** True for 127.0.0.0/8 and ::1, in plain or IPv4-mapped form. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

/**
True when the Host header names this machine (localhost, 127.x, [::1]) or the
host the listener was bound to. A page from another site that re-points its own
name at 127.0.0.1 (DNS rebinding) sends its own name here, so it is refused.
*/
export function isLocalHostHeader(hostHeader: string | undefined, boundHost: string): boolean {
  if (hostHeader === undefined || hostHeader === '') return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${hostHeader}/`).hostname.toLowerCase();
  } catch {
    return false;
  }
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const bound = boundHost.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    bare === 'localhost' ||
    bare.endsWith('.localhost') ||
    isLoopbackAddress(bare) ||
    bare === bound
  );
}
