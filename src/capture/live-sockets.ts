/**
 * The sockets not yet closed, for switching every live socket at once
 * (lightweight mode's message listeners). An intrusive doubly linked list
 * through fields of the sockets' own records: no Set, Array or iterator
 * methods a page could patch after the hook started.
 */
export interface LiveNode<T> {
  prevLive?: T | null;
  nextLive?: T | null;
}

export class LiveSockets<T extends LiveNode<T>> {
  private head: T | null = null;

  add(node: T): void {
    node.prevLive = null;
    node.nextLive = this.head;
    if (this.head) this.head.prevLive = node;
    this.head = node;
  }

  /** Take a node out (once: a second call does nothing). */
  remove(node: T): void {
    if (node.prevLive === undefined) return;
    if (node.prevLive) node.prevLive.nextLive = node.nextLive ?? null;
    else if (this.head === node) this.head = node.nextLive ?? null;
    if (node.nextLive) node.nextLive.prevLive = node.prevLive;
    node.prevLive = node.nextLive = undefined;
  }

  forEach(fn: (node: T) => void): void {
    for (let n = this.head; n; n = n.nextLive ?? null) fn(n);
  }
}
