import { serveCommands, tell } from '../harness/child-ipc.js';
import { createProxy } from '../../core/app/proxy/create-proxy.js';
import { startProxyServer } from '../../core/app/proxy/start-proxy-server.js';

/*
The proxy under test, in its own process: `sse-console proxy`'s engine (createProxy
and its listener, every stream parsed and counted as in the console) in front of
UPSTREAM. Reports `ready` with its port; the runner stops it by disconnecting.
Usage: node proxy-process.js UPSTREAM_URL
*/

const [upstream = ''] = process.argv.slice(2);
let reports = 0;
const proxy = createProxy({
  upstream: new URL(upstream),
  // The console's log would format these; counting keeps the reports' cost in the measurement.
  report: () => {
    reports += 1;
  },
});
const server = await startProxyServer(0, proxy);
tell({ type: 'ready', port: server.port });
serveCommands((message) => {
  if (message.type === 'count') tell({ type: 'count', connections: proxy.streams().length, reports });
});
// The runner ends its children with SIGTERM: exiting normally lets `--cpu-prof` write its profile.
process.on('SIGTERM', () => process.exit(0));
