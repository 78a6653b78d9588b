import { SseArgumentError } from '../errors/sse-error.js';

/**
A typed fan-out of lifecycle events that listeners cannot break: a throwing
listener is reported as an uncaught exception, after the others have run.
*/
export interface LifecycleEmitter<E> {
  subscribe(listener: (event: E) => void): () => void;
  emit(event: E): void;
}

export function createLifecycleEmitter<E>(): LifecycleEmitter<E> {
  // One entry per subscribe call, so the same function subscribed twice is two
  // subscriptions and each unsubscribe removes only its own.
  const entries = new Set<{ readonly listener: (event: E) => void }>();

  return {
    subscribe(listener) {
      if (typeof listener !== 'function') {
        throw new SseArgumentError('listener', `subscribe needs a function (event) => void: got ${typeof listener}`);
      }
      const entry = { listener };
      entries.add(entry);
      return () => {
        entries.delete(entry);
      };
    },
    emit(event) {
      for (const { listener } of entries) {
        try {
          listener(event);
        } catch (error) {
          // A listener's failure must not stop the event from reaching the other
          // listeners or the sockets, nor be hidden: as an EventTarget listener's
          // exception, it is re-thrown on its own (process 'uncaughtException').
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    },
  };
}
