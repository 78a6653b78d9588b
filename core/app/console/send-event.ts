import type { Sse, SseEventInput } from '../../index.js';
import type { ConsoleContext } from './commands/console-context.js';
import { errorMessage } from './error-message.js';

/**
Sends one event on `stream`. An event with an id on an asynchronous store (`--redis`)
goes through `publish`: it is sent once the store has kept it, and a store that cannot
keep it (unreachable) becomes an error line saying so, never an exception. Anything
else is sent at once, and a refusal throws to the command that sent it.
*/
export function sendEvent(context: Pick<ConsoleContext, 'options' | 'emit'>, stream: Sse, input: SseEventInput): void {
  const { stores } = context.options;
  if (stores?.asynchronous !== true || input.id === undefined || input.id === false) {
    stream.sendNewEvent(input);
    return;
  }
  stream.publish(input).catch((error: unknown) => {
    context.emit(
      'error',
      `event not sent: the ${stores.kind} store could not keep it (${errorMessage(error)}); nothing was sent or stored. Send without --id to send it unstored, or retry when the store is back`,
    );
  });
}
