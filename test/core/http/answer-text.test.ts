import { createServer, request, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { answerText, PLAIN_TEXT_HEADERS } from '../../../core/index.js';

/** One request to a real server running `handler`: status line, headers and body as received. */
async function answered(handler: RequestListener) {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise<{ status: number; reason: string; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', headers: res.headers, body }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('answerText: the one plain-text answer (stream refusals, the proxy, the pages)', () => {
  it('writes the plain-text headers, extra headers after them, and a body ending in a line break', async () => {
    const got = await answered((_req, res) => answerText(res, 404, 'Not here', { 'X-Why': 'test' }));
    expect(got).toMatchObject({ status: 404, reason: 'Not Found', body: 'Not here\n' });
    expect(got.headers).toMatchObject({
      'content-type': PLAIN_TEXT_HEADERS['Content-Type'],
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-why': 'test',
    });
  });

  it('gives the status its own reason phrase, not one a failed writeHead left behind', async () => {
    const got = await answered((_req, res) => {
      try {
        res.writeHead(418, "I'm a teapot", { 'X-Bad': 'line\nbreak' });
      } catch {
        answerText(res, 500, 'the answer headers were refused');
      }
    });
    expect(got).toMatchObject({
      status: 500,
      reason: 'Internal Server Error',
      body: 'the answer headers were refused\n',
    });
  });

  it('sends no body with 204', async () => {
    const got = await answered((_req, res) => answerText(res, 204, 'ignored'));
    expect(got).toMatchObject({ status: 204, body: '' });
  });
});
