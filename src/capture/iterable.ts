/**
 * An iterable of one item for the browser's own APIs that take a sequence (a Blob's parts, postMessage's
 * transfer list). An array would be iterated with Array.prototype[Symbol.iterator] and its iterator's
 * next(), which the page can replace to see the item; this one's iterator and result objects are the
 * hook's own, without prototypes.
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
