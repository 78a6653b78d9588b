import { proxyExamples, proxyHelpLines } from './proxy-commands/proxy-table.js';
import type { PaneEvent, ScreenModel } from './screen-model.js';

export interface ProxyScreenFacts {
  /** The proxy's address as the user opens it (with `?sse-console-token=` when one is required). */
  readonly openUrl: string;
  readonly upstreamUrl: string;
  readonly streams: number;
  /** Events that reached browsers, newest last (the newest few hundred). */
  readonly events: readonly PaneEvent[];
  /** Every event that reached a browser so far. */
  readonly eventsPassed: number;
  /** The proxy-wide faults in force, in words (`buffer 4096 B` …). */
  readonly faults?: readonly string[];
}

/** The overlay's part: the proxy's command overview at a width. */
function proxyCommandHelp(width?: number): readonly string[] {
  return proxyHelpLines(undefined, width);
}

/**
Proxy mode's screen: the address to open and the app behind it, the streams, the
events as the app sent them (with the app's ids), and only commands the proxy's
table runs: the first hint is its modules' examples, `?` is its help. The proxy
stores nothing for replay (the app does), so nothing here speaks of stored events.
*/
export function proxyScreen(facts: ProxyScreenFacts): ScreenModel {
  const { streams, eventsPassed: passed } = facts;
  return {
    addresses: [
      { label: 'proxy', url: facts.openUrl, opens: true },
      { label: 'upstream', url: facts.upstreamUrl, opens: false },
    ],
    counts: [
      `${streams} ${streams === 1 ? 'stream' : 'streams'}`,
      `${passed} ${passed === 1 ? 'event' : 'events'} passed`,
      ...(facts.faults ?? []),
    ],
    firstHint: ['? help', ...proxyExamples(), 'Tab completes'].join(' · '),
    commandHelp: proxyCommandHelp,
    connections: {
      title: 'Streams',
      empty: (opened) =>
        opened === 0
          ? 'none yet: open your app through the proxy,'
          : `none now (${opened === 1 ? 'the one stream' : `all ${opened}`} closed): reload the page,`,
      copy: facts.openUrl,
    },
    events: {
      title: 'Events through the proxy',
      counts: `${passed} passed`,
      rows: facts.events,
      empty: "none yet: your app's events show here as they pass, with its ids",
      older: 'each was logged above',
    },
  };
}
