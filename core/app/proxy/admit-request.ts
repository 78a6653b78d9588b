import type { IncomingMessage, ServerResponse } from 'node:http';
import { showLine as printable } from '../../terminal/terminal-text.js';
import { hostProblem, parseTarget } from '../../index.js';
import { errorMessage } from '../console/error-message.js';
import { answerPlain, answerPlainOrClose } from './answer-plain.js';
import { checkProxyAccess, tokenCookie, withoutTokenParam } from './proxy-access.js';
import type { ProxiedRequestInfo, ProxyContext } from './proxy-context.js';
import type { ProxyAnswer } from './types.js';

/** EventSource always asks with this Accept header, so it names stream requests before any answer. */
export function asksForStream(req: IncomingMessage): boolean {
  return /\btext\/event-stream\b/i.test(req.headers.accept ?? '');
}

/**
The proxy's own checks on a browser request, before anything goes upstream: a path
target, a local Host, the access token; and `respond`, which answers stream
requests itself. Returns the request to forward, or undefined when it was answered
here (and reported).
*/
export function admitRequest(
  context: ProxyContext,
  req: IncomingMessage,
  res: ServerResponse,
): ProxiedRequestInfo | undefined {
  const { report, now } = context;
  const started = now();
  const method = req.method ?? 'GET';
  const remoteAddress = req.socket.remoteAddress ?? '';
  const target = parseTarget(req.url);
  if (!target.pathname.startsWith('/')) {
    answerPlainOrClose(
      res,
      400,
      `sse-console proxy: the request target must be a path starting with "/", got ${JSON.stringify(printable(target.raw, 100))}`,
    );
    return undefined;
  }
  const requestReport = (path: string, status: number, problem: string | undefined, contentType?: string): void =>
    report({
      type: 'request',
      request: {
        method,
        path,
        status,
        durationMs: now() - started,
        contentType,
        remoteAddress,
        ...(problem === undefined ? {} : { problem }),
      },
    });
  const badHost = hostProblem(req, context.listenHost);
  if (badHost !== undefined) {
    answerPlainOrClose(res, 403, `sse-console proxy: ${badHost}`);
    requestReport(printable(target.raw, 200), 403, badHost);
    return undefined;
  }
  const access = checkProxyAccess(req, target.query, context.token);
  const forwardedTarget = withoutTokenParam(target.pathname, target.raw.slice(target.pathname.length + 1));
  const path = printable(forwardedTarget, 200);
  if (!access.ok) {
    answerPlainOrClose(res, 401, `sse-console proxy: ${access.problem}`);
    requestReport(path, 401, access.problem);
    return undefined;
  }
  if (asksForStream(req)) {
    const answer = context.takeAnswer();
    if (answer !== undefined) {
      answerLocally(context, req, res, path, answer);
      return undefined;
    }
  }
  return {
    req,
    res,
    method,
    started,
    remoteAddress,
    path,
    forwardedTarget,
    setCookie:
      access.setCookie && context.token !== undefined ? tokenCookie(context.token, req.socket.localPort) : undefined,
    finish: (status, problem, contentType) => requestReport(path, status, problem, contentType),
  };
}

function answerLocally(
  context: ProxyContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  given: ProxyAnswer,
): void {
  const why = `\`respond ${given.status}${given.once ? ' --once' : ''}\``;
  try {
    answerPlain(
      res,
      given.status,
      `sse-console proxy answered ${given.status} because of ${why}; \`respond reset\` forwards again.`,
      given.headers,
    );
  } catch (error) {
    answerPlainOrClose(res, 500, `sse-console proxy: the respond headers were refused: ${errorMessage(error)}`);
  }
  context.report({ type: 'answered', method: req.method ?? 'GET', path, status: given.status, why });
}
