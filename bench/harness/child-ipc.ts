import type { Message } from './children.js';

/** Sends a message to the runner (children are always forked with IPC). */
export function tell(message: Message): void {
  if (!process.send) throw new Error('this bench script must be started by `npm run bench` (it needs an IPC channel)');
  process.send(message);
}

/**
Serves the runner's commands one at a time, in order. A failing command is
reported as an `error` message; the child exits when the runner goes away.
*/
export function serveCommands(handle: (message: Message) => Promise<void> | void): void {
  let chain = Promise.resolve();
  process.on('message', (raw) => {
    const message = raw as Message;
    chain = chain
      .then(() => handle(message))
      .catch((error: unknown) =>
        tell({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
}
