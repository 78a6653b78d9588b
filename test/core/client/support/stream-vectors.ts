/**
Conformance vectors for the event-stream format, transcribed from the WHATWG HTML
spec's own examples (§9.2.6) and the web-platform-tests `eventsource/` format and id
tests. Each body is served byte for byte; `expected` is what a browser fires on the
first connection, before any reconnect.
*/

export interface ExpectedEvent {
  /** Default `message`. */
  readonly event?: string;
  readonly data: string;
  /** Default "". */
  readonly lastEventId?: string;
}

export interface StreamVector {
  readonly name: string;
  readonly body: string;
  /** Default `text/event-stream`. */
  readonly contentType?: string;
  readonly expected: readonly ExpectedEvent[];
  /** The reconnection time after the body, when the body changes it. */
  readonly retryMs?: number;
}

const longComment = 'x'.repeat(2048);

const specExampleVectors: readonly StreamVector[] = [
  {
    name: 'spec: stock ticker (three data lines)',
    body: 'data: YHOO\ndata: +2\ndata: 10\n\n',
    expected: [{ data: 'YHOO\n+2\n10' }],
  },
  {
    name: 'spec: comment, id, bare id, two spaces',
    body: ': test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n',
    expected: [
      { data: 'first event', lastEventId: '1' },
      { data: 'second event', lastEventId: '' },
      { data: ' third event', lastEventId: '' },
    ],
  },
  {
    name: 'spec: bare data fields, unterminated last block',
    body: 'data\n\ndata\ndata\n\ndata:',
    expected: [{ data: '' }, { data: '\n' }],
  },
  {
    name: 'spec: optional space after the colon',
    body: 'data:test\n\ndata: test\n\n',
    expected: [{ data: 'test' }, { data: 'test' }],
  },
];

const wptFormatVectors: readonly StreamVector[] = [
  {
    name: 'format-bom',
    body: '\uFEFFdata:1\n\n\uFEFFdata:2\n\ndata:3\n\n\n',
    expected: [{ data: '1' }, { data: '3' }],
  },
  {
    name: 'format-bom-2',
    body: '\uFEFF\uFEFFdata:1\n\ndata:2\n\ndata:3\n\n\n',
    expected: [{ data: '2' }, { data: '3' }],
  },
  {
    name: 'format-comments',
    body: `data:1\r:\0\n:\r\ndata:2\n:${longComment}\rdata:3\n:data:fail\r:${longComment}\ndata:4\n\n`,
    expected: [{ data: '1\n2\n3\n4' }],
  },
  {
    name: 'format-data-before-final-empty-line',
    body: 'retry:1000\ndata:test1\n\nid:test\ndata:test2\n',
    expected: [{ data: 'test1', lastEventId: '' }],
    retryMs: 1000,
  },
  {
    name: 'format-field-data',
    body: 'data:\n\ndata\ndata\n\ndata:test\n\n\n',
    expected: [{ data: '' }, { data: '\n' }, { data: 'test' }],
  },
  {
    name: 'format-field-event',
    body: 'event:test\ndata:x\n\ndata:x\n\n\n',
    expected: [
      { event: 'test', data: 'x' },
      { event: 'message', data: 'x' },
    ],
  },
  {
    name: 'format-field-event-empty',
    body: 'event: \ndata:data\n\n\n',
    expected: [{ event: 'message', data: 'data' }],
  },
  {
    name: 'format-field-parsing',
    body: 'data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n\n',
    expected: [{ data: '\0\n 2\n1\n3\n\n4' }],
  },
  {
    name: 'format-field-unknown',
    body: 'data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test\n\n\n',
    expected: [{ data: 'test\n\ntest' }],
  },
  {
    name: 'format-leading-space',
    body: 'data:\ttest\rdata: \ndata:test\n\n\n',
    expected: [{ data: '\ttest\n\ntest' }],
  },
  {
    name: 'format-newlines',
    body: 'data:test\r\ndata\ndata:test\r\n\r\n',
    expected: [{ data: 'test\n\ntest' }],
  },
  {
    name: 'format-null-character',
    body: 'data:\0\n\n\n\n\n',
    expected: [{ data: '\0' }],
  },
  {
    name: 'format-utf-8 (charset=windows-1252 is ignored)',
    body: 'data:ok\u2026\n\n\n',
    contentType: 'text/event-stream;charset=windows-1252',
    expected: [{ data: 'ok\u2026' }],
  },
  {
    name: 'format-field-retry (02000 is decimal)',
    body: 'retry:02000\ndata:x\n\n\n',
    expected: [{ data: 'x' }],
    retryMs: 2000,
  },
  {
    name: 'format-field-retry-bogus',
    body: 'retry:2000\nretry:1000x\ndata:x\n\n\n',
    expected: [{ data: 'x' }],
    retryMs: 2000,
  },
  {
    name: 'format-field-retry-empty',
    body: 'retry\ndata:test\n\n\n',
    expected: [{ data: 'test' }],
  },
  {
    name: 'format-mime-trailing-semicolon',
    body: 'data: data\n\n\n',
    contentType: 'text/event-stream;',
    expected: [{ data: 'data' }],
  },
];

/** Ids containing NUL are ignored (format-field-id-null). */
export const nullIdValues: readonly string[] = ['\0\0', 'x\0', '\0x', 'x\0x', ' \0'];

const idVectors: readonly StreamVector[] = [
  {
    name: 'format-field-id (first response)',
    body: 'id: \u2026\nretry: 200\ndata: hello\n\n',
    expected: [{ data: 'hello', lastEventId: '\u2026' }],
    retryMs: 200,
  },
  {
    name: 'last-event-id2: id carried to the next event',
    body: 'id: 1\ndata: 1\n\ndata:2\n\n',
    expected: [
      { data: '1', lastEventId: '1' },
      { data: '2', lastEventId: '1' },
    ],
  },
  {
    name: 'last-event-id2: a new id replaces the old one',
    body: 'id: 1\ndata: 1\n\nid: 2\ndata:2\n\ndata:3\n\n',
    expected: [
      { data: '1', lastEventId: '1' },
      { data: '2', lastEventId: '2' },
      { data: '3', lastEventId: '2' },
    ],
  },
  {
    name: 'last-event-id2: an empty id clears it',
    body: 'id: 1\ndata: 1\n\nid:\ndata:2\n\ndata:3\n\n',
    expected: [
      { data: '1', lastEventId: '1' },
      { data: '2', lastEventId: '' },
      { data: '3', lastEventId: '' },
    ],
  },
  {
    name: 'eventsource-parser fixture: a later id with NUL is ignored',
    body: 'id: 123\nid: bad\0id\ndata: hello\n\n',
    expected: [{ data: 'hello', lastEventId: '123' }],
  },
  ...nullIdValues.map((idValue): StreamVector => ({
    name: `format-field-id-null (id ${JSON.stringify(idValue)})`,
    body: `id: ${idValue}\nretry: 200\ndata: hello\n\n`,
    expected: [{ data: 'hello', lastEventId: '' }],
    retryMs: 200,
  })),
];

export const allStreamVectors: readonly StreamVector[] = [...specExampleVectors, ...wptFormatVectors, ...idVectors];

/** The browser-shaped view of an event that the vectors compare against. */
export function normalizeExpected(expected: readonly ExpectedEvent[]): Required<ExpectedEvent>[] {
  return expected.map((event) => ({
    event: event.event ?? 'message',
    data: event.data,
    lastEventId: event.lastEventId ?? '',
  }));
}
