/** Which part of an event a refused value was meant for. */
export type SseField = 'data' | 'event' | 'id' | 'retry' | 'comment';

/**
Thrown when a value cannot be written as the SSE field it was meant for (an event
name with a line break, a negative retry …). The message names the field, says
what a valid value looks like and shows what was given, so it can be shown as is.
*/
export class SseFieldError extends Error {
  override readonly name = 'SseFieldError';

  constructor(
    readonly field: SseField,
    message: string,
  ) {
    super(message);
  }
}
