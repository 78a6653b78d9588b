/** Not a Promise's answer: the store answered synchronously. */
export function isPromiseLike<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Partial<Promise<T>> | null)?.then === 'function';
}
