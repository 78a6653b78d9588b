import { SseError } from '../errors/sse-error.js';

/** Which part of an event a refused value was meant for. */
export type SseField = 'data' | 'event' | 'id' | 'retry' | 'comment';

/**
Thrown (code `ERR_SSE_FIELD`) when a value cannot be written as the SSE field it was
meant for (an event name with a line break, a negative retry …). The message names
the field, says what a valid value looks like and shows what was given, so it can be
shown as is.
*/
export class SseFieldError extends SseError {
  /** `SseFieldError`. */
  override readonly name: string = 'SseFieldError';

  constructor(
    /** The field the refused value was meant for. */
    readonly field: SseField,
    message: string,
  ) {
    super('ERR_SSE_FIELD', message);
  }
}
