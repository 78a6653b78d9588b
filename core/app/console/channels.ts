import { channelNameProblem, type Sse, type SseListener } from '../../index.js';
import type { Result } from '../result.js';

/** Channels a console creates at most (each is a stream with its own replay log). */
const MAX_CHANNELS = 64;

type EnsureResult = Result<{ sse: Sse }>;

/**
The console's streams: the main one (`/events`) and the channels (`/events/NAME`),
each created on first use (a page connecting, or `send --channel NAME`).
*/
export interface ChannelSet {
  readonly main: Sse;
  get(name: string): Sse | undefined;
  /** The channel, created if new; an error for a bad name or past MAX_CHANNELS. */
  ensure(name: string): EnsureResult;
  /** The channels (not the main stream), in creation order. */
  list(): readonly { readonly name: string; readonly sse: Sse }[];
  /** The main stream, then every channel. */
  all(): readonly Sse[];
  /** Called for each channel created from now on. */
  onAdded(listener: (name: string, sse: Sse) => void): () => void;
  /** Stops every channel stream (not the main one). */
  stopChannels(): void;
}

export function createChannelSet(main: Sse, make: (name: string) => Sse): ChannelSet {
  const channels = new Map<string, Sse>();
  const listeners = new Set<(name: string, sse: Sse) => void>();
  return {
    main,
    get: (name) => channels.get(name),
    ensure(name) {
      const existing = channels.get(name);
      if (existing !== undefined) return { ok: true, sse: existing };
      const problem = channelNameProblem(name);
      if (problem !== undefined) return { ok: false, error: problem };
      if (channels.size >= MAX_CHANNELS) {
        return {
          ok: false,
          error: `there are already ${MAX_CHANNELS} channels, the most a console keeps; use one of them`,
        };
      }
      const sse = make(name);
      channels.set(name, sse);
      for (const listener of listeners) listener(name, sse);
      return { ok: true, sse };
    },
    list: () => [...channels].map(([name, sse]) => ({ name, sse })),
    all: () => [main, ...channels.values()],
    onAdded(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stopChannels() {
      for (const sse of channels.values()) sse.stop();
    },
  };
}

/**
Every stream of `channels` seen as one: the live connections of the main stream and
of every channel, and their lifecycle events (channels made later included). For
watchers that care about a browser's connections wherever its pages listen.
*/
export function everyStream(channels: ChannelSet): Pick<Sse, 'connections' | 'subscribe'> {
  return {
    get connections() {
      return channels.all().flatMap((stream) => stream.connections);
    },
    subscribe(listener: SseListener) {
      const stops = channels.all().map((stream) => stream.subscribe(listener));
      const stopAdding = channels.onAdded((_name, stream) => stops.push(stream.subscribe(listener)));
      return () => {
        stopAdding();
        for (const stop of stops) stop();
      };
    },
  };
}
