/**
What the screen says around the data: its addresses, counts, hints, help and pane
texts. Each controller supplies its own (the console's, proxy mode's), so the screen
offers only what that controller accepts; the views render the model and never ask
which console they show.
*/
export interface ScreenModel {
  /** The status line's addresses, in order, never cut. */
  readonly addresses: readonly ScreenAddress[];
  /** The status line's counts, before `respond …` (e.g. "2 connections", "0 jobs"). */
  readonly counts: readonly string[];
  /** The pinned line before anything was typed: how to start, in commands this screen accepts. */
  readonly firstHint: string;
  /**
  The `?` overlay's command part, wrapped to `width` display columns (one row each
  without); the key table follows it. The same function for the controller's life,
  so a view can keep its lines until the width changes.
  */
  readonly commandHelp: (width?: number) => readonly string[];
  readonly connections: ConnectionsPaneText;
  readonly events: EventsPaneModel;
}

/** One address on the status line. */
export interface ScreenAddress {
  readonly label: string;
  readonly url: string;
  /** False for one shown for reference, not to open (proxy mode's upstream: opening it bypasses the proxy). */
  readonly opens: boolean;
}

/** The connections pane's words. */
export interface ConnectionsPaneText {
  readonly title: string;
  /** The empty pane's advice, before `copy`. */
  readonly empty: string;
  /** What the advice says to run or open, copied as it stands (so it is never cut). */
  readonly copy: string;
}

/** One row of the events pane. */
export interface PaneEvent {
  /** The event's id as it went out (the stream's or the app's); absent: it had none. */
  readonly id?: number | string;
  /** Event type, when not the default `message`. */
  readonly event?: string;
  readonly data: string;
  /** Epoch ms when it was stored or passed. */
  readonly storedAt: number;
  /** The connection it went to, when events differ per connection (proxy mode). */
  readonly conn?: number;
}

/** The events pane: its rows and words. */
export interface EventsPaneModel {
  readonly title: string;
  /** In brackets after the title (e.g. "36, next id 37"). */
  readonly counts: string;
  /** The newest rows last. */
  readonly rows: readonly PaneEvent[];
  /** What an empty pane says. */
  readonly empty: string;
  /** After "… N older; ": where the older ones are. */
  readonly older: string;
}
