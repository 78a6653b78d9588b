/** A typed fan-out of lifecycle events that listeners cannot break. */
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
        throw new TypeError(`subscribe needs a function (event) => void: got ${typeof listener}`);
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
        } catch {
          // Listeners are views and logs. Their failure must not stop an event from
          // reaching the other listeners or the sockets, so it is contained here.
        }
      }
    },
  };
}
