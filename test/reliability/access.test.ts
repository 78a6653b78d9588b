import { describe, expect, it } from 'vitest';
import { crashSigns, startConsoleProcess, type ConsoleProcess } from '../support/console-process.js';
import { listeningAddresses } from './support/listening-address.js';
import { fetchHead, fetchOnce } from './support/raw-http.js';
import { openStream } from './support/stream-client.js';
import { useCleanup } from '../support/wait.js';

const cleanup = useCleanup();

const TOKEN = 'T0ken-for-the-reliability-suite';

function streamUrl(proc: ConsoleProcess, query = ''): string {
  return `http://127.0.0.1:${proc.ssePort}/events${query}`;
}

function pageUrl(proc: ConsoleProcess, path: string): string {
  return `http://127.0.0.1:${proc.pagePort}${path}`;
}

describe('where the listeners bind', () => {
  it('both bind 127.0.0.1 by default, and say so in their URLs', async () => {
    const proc = await startConsoleProcess([], { cleanup });
    expect(new URL(proc.sseUrl).hostname).toBe('127.0.0.1');
    expect(new URL(proc.pagesUrl).hostname).toBe('127.0.0.1');
    expect(listeningAddresses(proc.ssePort)).toEqual(['127.0.0.1']);
    expect(listeningAddresses(proc.pagePort)).toEqual(['127.0.0.1']);
    expect(proc.logs.filter((line) => line.type === 'warn')).toEqual([]);
    expect(crashSigns(proc)).toEqual([]);
  });

  it('--host 0.0.0.0 binds every interface and warns what that exposes', async () => {
    const proc = await startConsoleProcess(['--host', '0.0.0.0'], { cleanup });
    expect(listeningAddresses(proc.ssePort)).toEqual(['0.0.0.0']);
    expect(listeningAddresses(proc.pagePort)).toEqual(['0.0.0.0']);
    const warning = await proc.waitForLog((line) => line.type === 'warn', 'the exposure warning');
    expect(warning.text).toContain('0.0.0.0');
    expect(warning.text).toMatch(/stream/);
    expect(warning.text).toMatch(/pages/);
    expect(warning.text).toMatch(/no --token/);
    // The URLs it prints are ones a browser on this machine can open, and the pages'
    // origin there is one the stream allows.
    expect(new URL(proc.sseUrl).hostname).toBe('127.0.0.1');
    expect(new URL(proc.pagesUrl).hostname).toBe('127.0.0.1');
    const pageOrigin = new URL(proc.pagesUrl).origin;
    expect((await fetchHead(streamUrl(proc), { Origin: pageOrigin })).headers['access-control-allow-origin']).toBe(
      pageOrigin,
    );
  });

  it('--host 0.0.0.0 with --token still warns that the stream and pages are reachable', async () => {
    const proc = await startConsoleProcess(['--host', '0.0.0.0', '--token', TOKEN], { cleanup });
    const warning = await proc.waitForLog((line) => line.type === 'warn', 'the exposure warning');
    expect(warning.text).toMatch(/^listening on 0\.0\.0\.0: .*stream.*pages/);
    expect(warning.text).not.toContain(TOKEN);
  });
});

describe('--token', () => {
  it('guards the stream (query or Bearer), the toggle POSTs, and reaches /config.json only under a local name', async () => {
    const proc = await startConsoleProcess(['--token', TOKEN], { cleanup });

    // The stream.
    for (const [query, headers, reason] of [
      ['', {}, 'missing token'],
      ['?token=wrong', {}, 'wrong token'],
      ['', { Authorization: 'Bearer wrong' }, 'wrong token'],
      ['', { Authorization: `Basic ${TOKEN}` }, 'missing token'],
    ] as const) {
      const answer = await fetchOnce(streamUrl(proc, query), { headers });
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer /);
      await proc.waitForLog(
        (line) =>
          line.type === 'refused' &&
          line.status === 401 &&
          line.reason === reason &&
          line.path === `/events${query.replace('wrong', '***')}`,
        `the refusal (${reason}) in the log`,
      );
    }
    expect((await fetchHead(streamUrl(proc, `?token=${TOKEN}`))).status).toBe(200);
    expect((await fetchHead(streamUrl(proc), { Authorization: `Bearer ${TOKEN}` })).status).toBe(200);

    // The toggle POSTs.
    const watcher = openStream(proc.ssePort, { path: `/events?token=${TOKEN}`, cleanup });
    await watcher.until((client) => client.status === 200, 'the watcher to stream');
    const denied = await fetchOnce(pageUrl(proc, '/api/toggles/one'), { method: 'POST' });
    expect(denied.status).toBe(401);
    const wrong = await fetchOnce(pageUrl(proc, '/api/toggles/one?token=wrong'), { method: 'POST' });
    expect(wrong.status).toBe(401);
    await proc.waitForLog(
      (line) => line.type === 'page' && line.method === 'POST' && line.status === 401,
      'the page 401 in the log',
    );
    expect(watcher.events).toEqual([]);
    const allowed = await fetchOnce(pageUrl(proc, `/api/toggles/one?token=${TOKEN}`), { method: 'POST' });
    expect(allowed.status).toBe(200);
    const bearer = await fetchOnce(pageUrl(proc, '/api/toggles/two'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(bearer.status).toBe(200);
    await watcher.until((client) => client.events.length === 2, 'two toggles events');
    expect(watcher.events.map((event) => event.event)).toEqual(['toggles', 'toggles']);

    // /config.json: the token for pages on this machine under a local name only.
    const local = JSON.parse((await fetchOnce(pageUrl(proc, '/config.json'))).body) as { token?: string };
    expect(local.token).toBe(TOKEN);
    const byName = JSON.parse(
      (await fetchOnce(pageUrl(proc, '/config.json'), { headers: { Host: `localhost:${proc.pagePort}` } })).body,
    ) as { token?: string };
    expect(byName.token).toBe(TOKEN);
    const rebound = JSON.parse(
      (await fetchOnce(pageUrl(proc, '/config.json'), { headers: { Host: `evil.example:${proc.pagePort}` } })).body,
    ) as {
      token?: string;
      sseUrl?: string;
    };
    expect(rebound.token).toBeUndefined();
    expect(rebound.sseUrl).toBe(proc.sseUrl);
    // A page on another local port (same-site for the browser, another origin) never gets it.
    for (const headers of [
      { Origin: `http://127.0.0.1:${proc.ssePort}`, 'Sec-Fetch-Site': 'same-site' },
      { Origin: `http://127.0.0.1:${proc.ssePort}` },
      { 'Sec-Fetch-Site': 'cross-site' },
    ]) {
      const foreign = JSON.parse((await fetchOnce(pageUrl(proc, '/config.json'), { headers })).body) as {
        token?: string;
      };
      expect(foreign.token, JSON.stringify(headers)).toBeUndefined();
    }
    const ownPage = JSON.parse(
      (
        await fetchOnce(pageUrl(proc, '/config.json'), {
          headers: { Origin: new URL(proc.pagesUrl).origin, 'Sec-Fetch-Site': 'same-origin' },
        })
      ).body,
    ) as { token?: string };
    expect(ownPage.token).toBe(TOKEN);

    // The token itself never reaches the log.
    expect(JSON.stringify(proc.logs)).not.toContain(TOKEN);
    expect(crashSigns(proc)).toEqual([]);
  });
});

describe('CORS', () => {
  it('allows only the demo pages origin by default', async () => {
    const proc = await startConsoleProcess([], { cleanup });
    const pageOrigin = new URL(proc.pagesUrl).origin;
    // Another site's page is refused outright (and the refusal logged), with no CORS grant.
    const evil = await fetchOnce(streamUrl(proc), { headers: { Origin: 'http://evil.example' } });
    expect(evil.status).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    await proc.waitForLog(
      (line) => line.type === 'refused' && line.status === 403 && String(line.reason).includes('http://evil.example'),
      'the 403 in the log',
    );
    const page = await fetchHead(streamUrl(proc), { Origin: pageOrigin });
    expect(page.status).toBe(200);
    expect(page.headers['access-control-allow-origin']).toBe(pageOrigin);
    const byName = `http://localhost:${proc.pagePort}`;
    expect((await fetchHead(streamUrl(proc), { Origin: byName })).headers['access-control-allow-origin']).toBe(byName);

    const preflight = await fetchOnce(streamUrl(proc), {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://evil.example',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'last-event-id',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const refusal = await fetchOnce(streamUrl(proc), { method: 'DELETE', headers: { Origin: 'http://evil.example' } });
    expect(refusal.status).toBe(405);
    expect(refusal.headers['access-control-allow-origin']).toBeUndefined();
    // The page listener never grants other origins anything either.
    const toggle = await fetchOnce(pageUrl(proc, '/api/toggles/one'), {
      method: 'POST',
      headers: { Origin: 'http://evil.example' },
    });
    expect(toggle.headers['access-control-allow-origin']).toBeUndefined();
    expect(crashSigns(proc)).toEqual([]);
  });

  it('--cors adds exactly the origins it names', async () => {
    const proc = await startConsoleProcess(['--cors', 'http://a.example'], { cleanup });
    const pageOrigin = new URL(proc.pagesUrl).origin;
    expect(
      (await fetchHead(streamUrl(proc), { Origin: 'http://a.example' })).headers['access-control-allow-origin'],
    ).toBe('http://a.example');
    expect((await fetchHead(streamUrl(proc), { Origin: pageOrigin })).headers['access-control-allow-origin']).toBe(
      pageOrigin,
    );
    for (const origin of ['http://evil.example', 'http://a.example.evil.example', 'https://a.example', 'null']) {
      const answer = await fetchOnce(streamUrl(proc), { headers: { Origin: origin } });
      expect(answer.status, origin).toBe(403);
      expect(answer.headers['access-control-allow-origin'], origin).toBeUndefined();
    }
  });
});

describe('--max-connections', () => {
  it('answers 503 beyond N live streams, logs it, and admits again once one leaves', async () => {
    const proc = await startConsoleProcess(['--max-connections', '3'], { cleanup });
    const clients = [1, 2, 3].map(() => openStream(proc.ssePort, { cleanup }));
    for (const client of clients) await client.until((c) => c.status === 200, 'a stream');
    const full = await fetchOnce(streamUrl(proc));
    expect(full.status).toBe(503);
    expect(full.body).toMatch(/already has 3 connections/);
    await proc.waitForLog(
      (line) => line.type === 'refused' && line.status === 503 && line.reason === 'too many connections (limit 3)',
      'the 503 in the log',
    );

    clients[0]?.close();
    await proc.waitForLog((line) => line.type === 'disconnected', 'the first stream to leave');
    expect((await fetchHead(streamUrl(proc))).status).toBe(200);
    expect(crashSigns(proc)).toEqual([]);
  });
});

describe('demo page headers', () => {
  it('every HTML page carries a CSP without inline script, and nosniff; the pages hold no inline script', async () => {
    const proc = await startConsoleProcess([], { cleanup });
    const config = JSON.parse((await fetchOnce(pageUrl(proc, '/config.json'))).body) as { pages: { name: string }[] };
    const paths = ['/', '/index.html', ...config.pages.flatMap((page) => [`/${page.name}`, `/${page.name}.html`])];
    expect(paths.length).toBeGreaterThan(8);
    for (const path of paths) {
      const answer = await fetchOnce(pageUrl(proc, path));
      expect(answer.status, path).toBe(200);
      expect(answer.headers['content-type'], path).toMatch(/^text\/html/);
      expect(answer.headers['x-content-type-options'], path).toBe('nosniff');
      const csp = String(answer.headers['content-security-policy']);
      const directives = new Map(
        csp.split(';').map((part) => {
          const [name = '', ...values] = part.trim().split(/\s+/);
          return [name, values] as const;
        }),
      );
      const scriptSrc = directives.get('script-src') ?? directives.get('default-src');
      expect(scriptSrc, `${path} script-src`).toBeDefined();
      expect(scriptSrc, path).not.toContain("'unsafe-inline'");
      expect(scriptSrc, path).not.toContain("'unsafe-eval'");
      expect(scriptSrc, path).not.toContain('*');
      expect(directives.get('object-src'), path).toEqual(["'none'"]);
      // The pages work under that policy: every script is a file, no handler attributes.
      for (const tag of answer.body.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? []) {
        expect(tag, path).toMatch(/^<script\b[^>]*\bsrc=/i);
        expect(
          tag
            .replace(/^<script\b[^>]*>/i, '')
            .replace(/<\/script>$/i, '')
            .trim(),
          path,
        ).toBe('');
      }
      expect(answer.body, path).not.toMatch(/\son[a-z]+\s*=/i);
    }
    for (const path of ['/assets/sse-demo.js', '/assets/demo.css', '/no-such-page', '/config.json']) {
      expect((await fetchOnce(pageUrl(proc, path))).headers['x-content-type-options'], path).toBe('nosniff');
    }
    for (const [method, path] of [
      ['GET', '/nowhere'],
      ['DELETE', '/events'],
    ] as const) {
      expect(
        (await fetchOnce(streamUrl(proc).replace('/events', path), { method })).headers['x-content-type-options'],
      ).toBe('nosniff');
    }
  });
});
