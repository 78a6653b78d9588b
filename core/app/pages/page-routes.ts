import {
  checkToken,
  crossSiteProblem,
  hostProblem,
  isLocalHostHeader,
  isLoopbackAddress,
  type RequestTarget,
  type Sse,
  type SseOptions,
} from '../../index.js';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { PAGES } from './page-list.js';
import { file, json, notFound, refused } from './reply.js';
import type { Reply } from './reply.js';
import { readStaticFile, resolveInside } from './static-files.js';
import { TOGGLE_NAMES } from './toggles.js';
import type { Toggles } from './toggles.js';

export interface Route {
  /** Methods this path answers; any other gets 405 with this list in Allow. */
  readonly allow: readonly string[];
  handle(req: IncomingMessage, target: RequestTarget): Reply | Promise<Reply>;
}

export interface RouteContext {
  readonly sse: Pick<Sse, 'sendNewEvent'>;
  readonly sseUrl: string;
  readonly token: string | undefined;
  /** How the console was started, for the pages' copyable commands; default `sse-console`. */
  readonly launchCommand: string | undefined;
  /** The host the listener is bound to (a Host header naming it counts as local). */
  readonly host: string;
  readonly demoDir: string;
  readonly toggles: Toggles;
  /** Origins allowed besides the pages' own (--cors); read on every request. */
  readonly corsOrigins: SseOptions['corsOrigins'];
}

const READ_METHODS = ['GET', 'HEAD'];

/**
The page listener's routes: `/`, `/<page>` and `/<page>.html`, `/config.json`, the
toggles API, and files under `/assets/`. Returns a lookup by path (case-sensitive,
no normalisation: the asset route checks its own paths).
*/
export function createPageRoutes(ctx: RouteContext): (pathname: string) => Route | undefined {
  const exact = new Map<string, Route>();

  const htmlPage = (fileName: string): Route => ({
    allow: READ_METHODS,
    async handle() {
      const page = await readStaticFile(join(ctx.demoDir, fileName));
      if (page === undefined) return notFound(`${fileName} is missing from demo-pages/; reinstall sse-console`);
      return file(page.contentType, page.body);
    },
  });
  for (const name of ['index', ...PAGES.map((page) => page.name)]) {
    const route = htmlPage(`${name}.html`);
    exact.set(`/${name}`, route);
    exact.set(`/${name}.html`, route);
  }
  exact.set('/', htmlPage('index.html'));

  exact.set('/config.json', { allow: READ_METHODS, handle: (req) => json(200, pageConfig(ctx, req)) });

  exact.set('/api/toggles', { allow: READ_METHODS, handle: () => json(200, ctx.toggles.state) });
  for (const name of TOGGLE_NAMES) {
    exact.set(`/api/toggles/${name}`, {
      allow: ['POST'],
      handle(req, target) {
        req.resume(); // the body carries nothing; drain it so the socket can be reused
        // Another web page must not drive the console: a rebinding page (its own name
        // in Host) or a cross-site form/fetch (Origin, Sec-Fetch-Site) is refused.
        const foreign = hostProblem(req, ctx.host) ?? crossSiteProblem(req, ctx.host, ctx.corsOrigins);
        if (foreign !== undefined) return refused(403, foreign);
        const check = ctx.token === undefined ? 'ok' : checkToken(req, target, ctx.token);
        if (check !== 'ok') {
          const why = check === 'missing' ? 'none was sent' : 'the one sent is wrong';
          return json(
            401,
            {
              error:
                `This page server needs the token (${why}): send "Authorization: Bearer TOKEN" ` +
                'or add ?token=TOKEN (sse-console prints the token when it starts).',
            },
            { 'WWW-Authenticate': 'Bearer realm="sse-console"' },
          );
        }
        const state = ctx.toggles.flip(name);
        // No id: the toggles are live state, not history; a new tab asks GET /api/toggles.
        ctx.sse.sendNewEvent({ event: 'toggles', data: JSON.stringify(state) });
        return json(200, state);
      },
    });
  }

  const assetsDir = join(ctx.demoDir, 'assets');
  const assets: Route = {
    allow: READ_METHODS,
    async handle(_req, target) {
      const path = resolveInside(assetsDir, target.pathname.slice('/assets/'.length));
      const found = path === undefined ? undefined : await readStaticFile(path);
      return found === undefined ? notFound('no such file under /assets/') : file(found.contentType, found.body);
    },
  };

  return (pathname) => exact.get(pathname) ?? (pathname.startsWith('/assets/') ? assets : undefined);
}

/**
What pages need to connect: the stream URL, the page list, the command that started
the console (for commands a page offers to copy), and the token, which
goes only to this machine and only under a local name, so that a page from
elsewhere that re-points its own name at 127.0.0.1 (DNS rebinding) does not get it;
and never to a page of another origin, a page on another local port included, even
one `--cors` lets read this listener (see fromOtherPage).
*/
function pageConfig(ctx: RouteContext, req: IncomingMessage): Record<string, unknown> {
  const local =
    isLoopbackAddress(req.socket.remoteAddress) && isLocalHostHeader(req.headers.host, ctx.host) && !fromOtherPage(req);
  return {
    sseUrl: ctx.sseUrl,
    launchCommand: ctx.launchCommand ?? 'sse-console',
    ...(ctx.token !== undefined && local ? { token: ctx.token } : {}),
    pages: PAGES.map(({ name, title, summary }) => ({ name, title, summary })),
  };
}

/**
True when a browser says the request comes from a page of another origin: an Origin
that is not this listener's own (http:// and the Host asked for), or Sec-Fetch-Site
same-site (another port of 127.0.0.1 is same-site) or cross-site. A page's own
`fetch('/config.json')` sends neither; a process that is not a browser can send
anything, which is why the token protects against pages, not local programs.
*/
function fromOtherPage(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  if (site === 'same-site' || site === 'cross-site') return true;
  return origin !== undefined && origin.toLowerCase() !== `http://${req.headers.host ?? ''}`.toLowerCase();
}
