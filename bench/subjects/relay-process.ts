import { connect, createServer } from 'node:net';
import { serveCommands, tell } from '../harness/child-ipc.js';

/*
The floor for the proxy benchmark: a byte relay, the least any proxy in front of a
stream server can do. Each accepted socket gets its own upstream socket and the
bytes are piped both ways unread: no HTTP parsing, no decoding, no reports. What
the real proxy adds beyond this is its own cost; what this adds over a direct
connection is the cost of a second hop on this machine.
Usage: node relay-process.js UPSTREAM_PORT
*/

const upstreamPort = Number(process.argv[2]);
const server = createServer({ noDelay: true }, (browser) => {
  const upstream = connect({ port: upstreamPort, host: '127.0.0.1', noDelay: true });
  browser.pipe(upstream);
  upstream.pipe(browser);
  const end = (): void => {
    browser.destroy();
    upstream.destroy();
  };
  browser.on('error', end);
  upstream.on('error', end);
  browser.on('close', end);
  upstream.on('close', end);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the relay has no TCP address');
  tell({ type: 'ready', port: address.port });
});
serveCommands(() => undefined);
// The runner ends its children with SIGTERM: exiting normally lets `--cpu-prof` write its profile.
process.on('SIGTERM', () => process.exit(0));
