import type { ClientRequest } from 'node:http';
import { showLine as printable } from '../../terminal/terminal-text.js';
import { errorMessage } from '../console/error-message.js';
import { asksForStream } from './admit-request.js';
import { answerPlainOrClose } from './answer-plain.js';
import { upstreamRequestHeaders } from './forward-headers.js';
import { passResponse, type AnswerRoute } from './pass-response.js';
import type { ProxiedRequestInfo, ProxyContext } from './proxy-context.js';
import { describeUpstreamFailure } from './upstream-failure.js';
import { watchUpstreamHead } from './upstream-handover.js';

/**
Sends an admitted request to the upstream and sees that the browser gets an answer
whatever happens: the upstream's (pass-response.ts), or the proxy's own 502 when it
cannot be reached or answers what HTTP forbids, or 504 when it takes too long.
*/
export function forwardRequest(context: ProxyContext, request: ProxiedRequestInfo): void {
  const { upstream, secure } = context;
  const { req, res, method, path } = request;
  const upstreamPath = `${context.basePath}${request.forwardedTarget}`;
  const upstreamUrl = new URL(upstreamPath, upstream).href;
  res.socket?.setNoDelay(true);
  let upstreamReq: ClientRequest;
  try {
    upstreamReq = context.send({
      protocol: upstream.protocol,
      hostname: upstream.hostname.replace(/^\[|\]$/g, ''),
      port: upstream.port === '' ? (secure ? 443 : 80) : Number(upstream.port),
      method,
      path: upstreamPath,
      headers: upstreamRequestHeaders(req, upstream, context.token !== undefined),
      agent: context.agent,
    });
  } catch (error) {
    const problem = `the request could not be forwarded: ${errorMessage(error)}`;
    answerPlainOrClose(res, 502, `sse-console proxy: ${problem}`);
    request.finish(502, problem);
    return;
  }
  // A stream's connection may be taken over after its head, to relay its body as it came.
  const route: AnswerRoute = {
    upstreamReq,
    upstreamUrl,
    handover: asksForStream(req) ? watchUpstreamHead(upstreamReq) : undefined,
  };
  upstreamReq.on('socket', (socket) => socket.setNoDelay(true));
  let answered = false;
  const fail = (status: number, problem: string): void => {
    answerPlainOrClose(res, status, `sse-console proxy: ${problem}`);
    request.finish(status, problem);
  };
  const timer = setTimeout(() => {
    if (answered) return;
    answered = true;
    upstreamReq.destroy();
    fail(504, `${upstream.host} did not answer ${method} ${path} within ${context.upstreamTimeoutMs / 1000}s`);
  }, context.upstreamTimeoutMs);
  timer.unref();

  upstreamReq.on('error', (error) => {
    clearTimeout(timer);
    if (answered) return;
    answered = true;
    fail(502, describeUpstreamFailure(error, upstream));
  });

  upstreamReq.on('response', (upstreamRes) => {
    clearTimeout(timer);
    if (answered) {
      upstreamRes.destroy();
      return;
    }
    answered = true;
    try {
      passResponse(context, request, route, upstreamRes);
    } catch (error) {
      // Whatever the upstream answered, it may not crash the process: the browser gets a 502.
      upstreamRes.destroy();
      fail(502, `the upstream's answer could not be passed on: ${errorMessage(error)}`);
    }
  });

  upstreamReq.on('upgrade', (upstreamRes, upstreamSocket) => {
    clearTimeout(timer);
    if (route.handover?.asked === true) {
      // Not an upgrade: the stream's connection, handed over as asked (upstream-handover.ts).
      route.onHandover?.(upstreamRes, upstreamSocket);
      return;
    }
    // A 101 to a request that asked for no upgrade: node:http hands it to 'upgrade'
    // listeners only, and without one the browser would wait for the upstream timeout.
    upstreamSocket.destroy();
    if (answered) return;
    answered = true;
    fail(
      502,
      `${upstream.host} answered ${upstreamRes.statusCode ?? 101} ${printable(upstreamRes.statusMessage ?? '', 80)} (switching protocols) to ${method} ${path}, which asked for no upgrade: HTTP forbids that answer, so the browser got 502`,
    );
  });

  // The browser gone before the answer ended: the upstream request goes too.
  res.on('close', () => {
    clearTimeout(timer);
    if (!res.writableFinished) upstreamReq.destroy();
  });
  req.pipe(upstreamReq);
}
