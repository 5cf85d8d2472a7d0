/**
 * An iterable of one item for the browser's own APIs that take a sequence (a Blob's parts, postMessage's
 * transfer list). An array would be iterated with Array.prototype[Symbol.iterator] and its iterator's
 * next(), which the page can replace to see the item; this one's iterator and result objects are the
 * hook's own, without prototypes.
 */
const ITERATOR = Symbol.iterator;

export function onlyItem<T>(item: T): Iterable<T> {
  return itemsOf([item]);
}

/**
 * The same for a few items (the hook's lists have no prototype, so no iterator of their own: Firefox then
 * takes such a list for postMessage's options object and transfers nothing).
 */
export function itemsOf<T>(items: ArrayLike<T>): Iterable<T> {
  return {
    __proto__: null,
    [ITERATOR]() {
      let i = 0;
      return {
        __proto__: null,
        next() {
          if (i >= items.length) return { __proto__: null, done: true, value: undefined };
          return { __proto__: null, done: false, value: items[i++] };
        },
      };
    },
  } as unknown as Iterable<T>;
}
