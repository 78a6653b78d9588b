/**
The signals that end a run of `connect`, `doctor` or `bench` early, and the exit code
each gives (128 + the signal's number, what a shell reports). Ctrl+C sends SIGINT;
`timeout(1)`, process managers and a plain `kill` send SIGTERM. Without a handler
Node dies on SIGTERM at once: the summary is never printed and a recording that has
received nothing leaves its temporary file behind.
*/
export const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;

export type StopSignal = keyof typeof STOP_SIGNALS;

/** What the run tells the user it was stopped by. */
export function stoppedBy(signal: StopSignal): string {
  return signal === 'SIGINT' ? 'interrupted (Ctrl+C)' : 'terminated (SIGTERM)';
}

/**
Calls `handler` on the first SIGINT or SIGTERM. Each listener is a `once`: a second
Ctrl+C while the run winds down kills the process the default way. Returns the
function that removes the listeners.
*/
export function onStopSignal(handler: (signal: StopSignal) => void): () => void {
  const listeners = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((signal) => {
    const listener = (): void => handler(signal);
    process.once(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}
