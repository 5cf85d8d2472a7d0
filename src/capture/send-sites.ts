/**
 * Opt-in: where the page called send() (or wrote to a WebSocketStream), per socket. Taking a stack costs
 * every send (a V8 stack capture each time; the bench does not measure it), so it is off unless the user
 * turns on *Call sites*. A socket records a call site only when it differs from its previous one: a loop
 * sending from one place costs one `send-site` event, and the panel gives each outgoing frame the site in
 * effect.
 */
import type { StackFrame } from '../protocol/events';
import type { StackTaker } from './call-site';
import type { Natives } from './natives';

export class SendSites {
  /** the user's setting (the relay's `ready` message) */
  on = false;
  /** per socket: its last call site, as one string to compare */
  private readonly last: WeakMap<object, string>;

  constructor(private readonly natives: Natives, private readonly take: StackTaker) {
    this.last = new natives.WeakMap();
  }

  /** The page's stack at this send when it is not where this socket last sent from; undefined otherwise, or when off. */
  changed(socket: object): StackFrame[] | undefined {
    if (!this.on) return undefined;
    const stack = this.take();
    if (!stack) return undefined;
    let key = '';
    for (let i = 0; i < stack.length; i++) {
      const f = stack[i]!;
      key += `${f.fn}\u0000${f.url}:${f.line}:${f.col}\n`;
    }
    if (this.natives.weakMapGet(this.last, socket) === key) return undefined;
    this.natives.weakMapSet(this.last, socket, key);
    return stack;
  }
}
