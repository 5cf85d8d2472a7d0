/**
 * An iterable of one item that uses nothing of Array.prototype — its iterator
 * and result objects are the hook's own, without prototypes — for builtins
 * that iterate what they are given (`new Blob(parts)`): a page may have
 * replaced Array.prototype[Symbol.iterator].
 */
const ITERATOR = Symbol.iterator;

export function onlyItem<T>(item: T): Iterable<T> {
  return {
    __proto__: null,
    [ITERATOR]() {
      let done = false;
      return {
        __proto__: null,
        next() {
          if (done) return { __proto__: null, done: true, value: undefined };
          done = true;
          return { __proto__: null, done: false, value: item };
        },
      };
    },
  } as unknown as Iterable<T>;
}
