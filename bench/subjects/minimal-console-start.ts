import { createServer, type Server } from 'node:http';
import { parseArgs } from 'node:util';

/*
The reference for line mode's start: exactly an ES module, its options read with
node:util's parseArgs, two node:http listeners on 127.0.0.1 (the stream and the
pages, one after the other, the second port known only once the first is bound), and
one JSON line naming both, written the plain way (static imports, nothing cached).
The start-up benchmark times it to that line, beside line mode, in the same run.
*/
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
