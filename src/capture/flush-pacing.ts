/**
 * How long the hook waits before it posts what it recorded.
 *
 * Every post costs the same whatever it carries: a structured clone, the relay's checks, a message through
 * the extension's port, the service worker and the browser. A busy socket fills a batch in the shortest
 * wait; a steady trickle (a widget's ticker, one message every 50 ms, in each of 30 iframes) would post one
 * or two rows each time — the bench's 30-iframe page made ~600 posts a second, and the panel, fighting the
 * pages for a core, answered a click in ~75 ms instead of ~20. So while posts carry few rows, the wait
 * grows with how long the hook needs to gather `target` rows, up to `longestMs`; after a quiet while (no
 * post for twice the longest wait) the next message gets the shortest wait, so a lone message still shows at
 * once. One pacing per hook (a document or a deep-captured worker: all its sockets' rows go in its posts).
 * One clock read per post, none per message.
 */
export class FlushPacing {
  private lastPost = -Infinity;
  private wait: number;

  constructor(
    private readonly shortestMs: number,
    private readonly longestMs: number,
    /** rows a post should carry before the wait stops growing */
    private readonly target = 8,
  ) {
    this.wait = shortestMs;
  }

  /** A post of `items` rows and events went out at `now` (ms). */
  posted(items: number, now: number): void {
    const since = now - this.lastPost;
    const quiet = this.quietAt(now);
    this.lastPost = now;
    if (quiet) { this.wait = this.shortestMs; return; }
    // the time `target` items take at the rate this post saw
    const wanted = items > 0 ? (this.target * since) / items : this.longestMs;
    this.wait = wanted < this.shortestMs ? this.shortestMs : wanted > this.longestMs ? this.longestMs : wanted;
  }

  /** The wait before the next post, for a row recorded at `now` (ms). */
  next(now: number): number {
    return this.quietAt(now) ? this.shortestMs : this.wait;
  }

  /** No post for twice the longest wait (also before the first). */
  private quietAt(now: number): boolean {
    return !(now - this.lastPost < this.longestMs * 2);
  }
}
