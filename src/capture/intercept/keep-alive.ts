/**
 * Protocol keep-alives, by the protocol the panel's decoders detected on a
 * connection: they pass interception by default, so an app does not time out
 * (and reconnect) while the user edits a held message. Tested on the message
 * alone, with the hook's natives.
 */
import type { Natives } from '../natives';
import { getPath } from './json';
import type { MessageView } from './message';

const field = (n: Natives, m: MessageView, path: string): unknown => getPath(n, m.json(), path);

export function isKeepAlive(n: Natives, protocol: string | undefined, m: MessageView): boolean {
  if (protocol === undefined) return false;
  const text = m.text();
  switch (protocol) {
    case 'socketio': // engine.io ping / pong (and the probe)
      return text === '2' || text === '3' || text === '2probe' || text === '3probe';
    case 'stomp':
      return text === '\n' || text === '\r\n';
    case 'mqtt': // PINGREQ, PINGRESP as hex
      return text === 'c0 00' || text === 'd0 00';
    case 'phoenix': {
      const j = m.json();
      if (n.isArray(j)) return (j as unknown[])[2] === 'phoenix';
      return field(n, m, 'topic') === 'phoenix';
    }
    case 'graphql': {
      const type = field(n, m, 'type');
      return type === 'ping' || type === 'pong' || type === 'ka';
    }
    case 'signalr':
      return text === '{"type":6}\u001e' || text === '02 91 06';
    case 'nats':
      return text === 'PING\r\n' || text === 'PONG\r\n';
    case 'pusher': {
      const event = field(n, m, 'event');
      return event === 'pusher:ping' || event === 'pusher:pong';
    }
    case 'sockjs':
      return text === 'h';
    case 'actioncable':
      return field(n, m, 'type') === 'ping';
    case 'jsonrpc': // tRPC's keep-alive
      return text === 'PING' || text === 'PONG';
    default:
      return false;
  }
}
