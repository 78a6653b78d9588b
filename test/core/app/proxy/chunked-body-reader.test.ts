import { describe, expect, it } from 'vitest';
import { createChunkedBodyReader, type ChunkedScan } from '../../../../core/app/proxy/chunked-body-reader.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');
const payloadOf = (scan: ChunkedScan): string => scan.payload.map((piece) => piece.data.toString('latin1')).join('');
const forwarded = (scan: ChunkedScan): string => scan.raw.subarray(0, scan.forwardEnd).toString('latin1');

describe('createChunkedBodyReader', () => {
  it('finds the payload and the chunk ends, with upper-case sizes and extensions, without copying', () => {
    const reader = createChunkedBodyReader();
    const input = bytes('1A;name="v"\r\nabcdefghijklmnopqrstuvwxyz\r\n3\r\nend\r\n');
    const scan = reader.scan(input);
    expect(payloadOf(scan)).toBe('abcdefghijklmnopqrstuvwxyzend');
    expect(scan.chunkEnds).toEqual([41, 49]);
    expect(scan.forwardEnd).toBe(input.length);
    expect(scan.raw).toBe(input);
    expect(reader.betweenChunks()).toBe(true);
  });

  it('follows a chunk cut anywhere, and holds back a size line cut by the read (it may be the last chunk)', () => {
    const reader = createChunkedBodyReader();
    const first = reader.scan(bytes('5\r\nhel'));
    expect([payloadOf(first), forwarded(first), reader.betweenChunks()]).toEqual(['hel', '5\r\nhel', false]);
    const second = reader.scan(bytes('lo\r\n1'));
    expect([payloadOf(second), forwarded(second), reader.betweenChunks()]).toEqual(['lo', 'lo\r\n', true]);
    const third = reader.scan(bytes('0\r\n0123456789abcdef\r\n'));
    expect([payloadOf(third), forwarded(third)]).toEqual(['0123456789abcdef', '10\r\n0123456789abcdef\r\n']);
  });

  it('stops forwarding at the last chunk, even one cut by the read, and completes after the trailers', () => {
    const reader = createChunkedBodyReader();
    const first = reader.scan(bytes('2\r\nok\r\n0'));
    expect([forwarded(first), first.complete]).toEqual(['2\r\nok\r\n', false]);
    const second = reader.scan(bytes('\r\nX-Trailer: 1\r\n'));
    expect([second.forwardEnd, second.complete]).toEqual([0, false]);
    const third = reader.scan(bytes('\r\n'));
    expect([third.forwardEnd, third.complete, third.error]).toEqual([0, true, undefined]);
  });

  it.each([
    ['no hex digit', 'x\r\n'],
    ['a bare LF after the size', '5\nhello\r\n'],
    ['data longer than its size', '2\r\nabc\r\n'],
    ['a control character in an extension', '2;\u0001\r\nab\r\n'],
    ['a size past 12 hex digits', `${'f'.repeat(13)}\r\n`],
  ])('refuses %s', (_why, text) => {
    const scan = createChunkedBodyReader().scan(bytes(text));
    expect(scan.error).toMatch(/^the upstream's chunked body is not valid HTTP\/1\.1: /);
    expect(scan.complete).toBe(false);
  });
});
