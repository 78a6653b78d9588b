/**
`host` as it goes in a URL a browser on this machine can open: IPv6 in brackets,
and a wildcard bind address (0.0.0.0, ::) as the loopback address it also answers,
since no browser can connect to "0.0.0.0" reliably and CORS would not match it.
*/
export function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
