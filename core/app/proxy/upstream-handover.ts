import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { UpstreamConnection } from './proxied-stream.js';

/** The most bytes of answer head (1xx answers included) kept to find where the body starts. */
const MAX_HEAD_BYTES = 64 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');

/**
Takes a stream's upstream connection away from node:http once the answer's head is
read, so its body can be relayed as it came (proxied-stream.ts). node:http hands a
connection over only for an upgrade: marking the answer as one, in its 'response'
event, makes the client detach the socket and emit 'upgrade' right after (its
parser has already decoded the rest of that read, so the raw bytes of every read
up to the head are kept here, and the body's first bytes cut from them).
*/
export interface UpstreamHandover {
  /** In 'response': asks for the connection; false when it cannot be taken (then nothing changed). */
  ask(upstreamRes: IncomingMessage): boolean;
  /** In 'upgrade': true when this is the handover asked for. */
  readonly asked: boolean;
  /** In 'upgrade': the connection and the body's first raw bytes, or why they cannot be known. */
  take(socket: Duplex, upstreamRes: IncomingMessage): UpstreamConnection | string;
  /** The answer was not a handover after all (node:http did not detach): undoes `ask`. */
  withdraw(upstreamRes: IncomingMessage): void;
}

interface UpgradeFlag {
  upgrade: boolean;
}

/** Starts keeping the raw reads of `upstreamReq`'s connection (call before the request is sent). */
export function watchUpstreamHead(upstreamReq: ClientRequest): UpstreamHandover {
  const reads: Buffer[] = [];
  let readBytes = 0;
  let tooLong = false;
  let informational = 0;
  let asked = false;
  let watched: Duplex | undefined;
  const keep = (chunk: Buffer): void => {
    if (tooLong) return;
    readBytes += chunk.length;
    if (readBytes > MAX_HEAD_BYTES) {
      tooLong = true;
      reads.length = 0;
      return;
    }
    reads.push(chunk);
  };
  const unwatch = (): void => {
    watched?.removeListener('data', keep);
    watched = undefined;
    reads.length = 0;
  };
  upstreamReq.on('socket', (socket) => {
    watched = socket;
    // Before node:http's own listener: each read is kept before the parser sees it.
    socket.prependListener('data', keep);
  });
  upstreamReq.on('information', () => {
    informational += 1;
  });
  upstreamReq.on('response', () => queueMicrotask(unwatch));
  upstreamReq.on('close', unwatch);

  return {
    ask(upstreamRes) {
      if (tooLong || watched === undefined) return false;
      asked = true;
      (upstreamRes as unknown as UpgradeFlag).upgrade = true;
      return true;
    },
    get asked() {
      return asked;
    },
    take(socket, upstreamRes) {
      asked = false;
      const seen = Buffer.concat(reads);
      unwatch();
      // Each 1xx answer's head ends at its first blank line, then the final head's does.
      let from = 0;
      for (let heads = 0; heads <= informational; heads += 1) {
        const end = seen.indexOf(HEAD_END, from);
        if (end === -1) return 'the end of the upstream answer head was not found in what was read';
        from = end + HEAD_END.length;
      }
      socket.removeListener('data', keep);
      // What node:http decoded of this read stays in the answer object, which nobody reads now.
      upstreamRes.pause();
      return { socket, bodyStart: seen.subarray(from) };
    },
    withdraw(upstreamRes) {
      asked = false;
      (upstreamRes as unknown as UpgradeFlag).upgrade = false;
    },
  };
}
