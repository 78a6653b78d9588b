import type * as NodeHttp from 'node:http';
import type { Server } from 'node:http';
import type * as NodeUtil from 'node:util';

/*
The least a start of line mode's shape can cost: an ES module (as the binary is),
its options read with node:util's parseArgs, two node:http listeners on 127.0.0.1
(the stream and the pages, one after the other, the second port known only once the
first is bound), and one JSON line naming both. No code cache is switched on: with
nothing more to load it would only cost. The start-up benchmark times it to that
line, beside line mode.

The built-ins are taken with process.getBuiltinModule, as the binary takes them: an
ESM `import` of node:http reads every export once, which loads Node's fetch
implementation (about 35 ms).
*/
const { createServer }: typeof NodeHttp = process.getBuiltinModule('node:http');
const { parseArgs }: typeof NodeUtil = process.getBuiltinModule('node:util');

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    tui: { type: 'boolean', default: true },
    json: { type: 'boolean', default: false },
    port: { type: 'string', default: '8080' },
    'sse-port': { type: 'string', default: '8122' },
  },
  allowNegative: true,
});

function listen(port: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(Number(port), '127.0.0.1', () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening on a TCP port');
  return address.port;
}

const stream = await listen(values['sse-port']);
const pages = await listen(values.port);
process.stdout.write(
  `${JSON.stringify({
    type: 'listening',
    sse: `http://127.0.0.1:${portOf(stream)}/events`,
    pages: `http://127.0.0.1:${portOf(pages)}/`,
  })}\n`,
);
