/**
 * Close codes and close initiators in plain words.
 *
 * Sources: RFC 6455 §7.4 (the codes and the ranges) and the IANA "WebSocket
 * Close Code Number Registry" (1012–1015 and the 3000–3999 library codes).
 * The wording is ours: written for someone looking at a dead socket and
 * asking "what happened, and what do I check next?".
 */

import type { CloseInitiator } from '../protocol/events';

export type CloseRange = 'standard' | 'reserved' | 'iana' | 'library' | 'application' | 'invalid';

export interface CloseExplanation {
  name: string;
  meaning: string;
  hint?: string;
  range: CloseRange;
}

type Known = Omit<CloseExplanation, 'range'> & { range: 'standard' | 'reserved' | 'iana' };

const KNOWN: Readonly<Record<number, Known>> = {
  1000: {
    range: 'standard', name: 'Normal Closure',
    meaning: 'The connection finished its job and was closed on purpose.',
  },
  1001: {
    range: 'standard', name: 'Going Away',
    meaning: 'One side is leaving: the page navigated away or was closed, or the server is shutting down.',
    hint: 'Expected on page unload or a server deploy; reconnect if the server sent it.',
  },
  1002: {
    range: 'standard', name: 'Protocol Error',
    meaning: 'One side received frames that break the WebSocket protocol.',
    hint: 'Look for a proxy or library that rewrites frames, or a server bug in framing or masking.',
  },
  1003: {
    range: 'standard', name: 'Unsupported Data',
    meaning: 'One side received a kind of data it cannot accept, for example binary where only text is expected.',
    hint: 'Check whether the messages are sent as text or binary, and what the other side expects.',
  },
  1004: {
    range: 'reserved', name: 'Reserved',
    meaning: 'Reserved by RFC 6455 with no meaning yet; nothing should send it.',
  },
  1005: {
    range: 'standard', name: 'No Status Received',
    meaning: 'The close frame carried no status code, so there is none to report.',
    hint: 'Not an error by itself. Never sent on the wire: the browser reports it locally.',
  },
  1006: {
    range: 'standard', name: 'Abnormal Closure',
    meaning: 'The connection ended without any close frame.',
    hint:
      'No close frame was exchanged: a network drop, a proxy or load balancer idle timeout, a server crash, ' +
      'or a failed TLS or HTTP handshake (wrong URL, rejected origin, bad certificate). ' +
      'The browser hides the details on purpose; check the Network panel, the server and proxy logs.',
  },
  1007: {
    range: 'standard', name: 'Invalid Frame Payload Data',
    meaning: 'A message did not match its declared type, typically a text message that is not valid UTF-8.',
    hint: 'Check how text is encoded before sending, or send the bytes as a binary message.',
  },
  1008: {
    range: 'standard', name: 'Policy Violation',
    meaning: 'A message broke a rule of the endpoint. A catch-all used when no more specific code fits.',
    hint: 'Servers often use it for failed authentication, a rejected origin or rate limiting; read the reason text.',
  },
  1009: {
    range: 'standard', name: 'Message Too Big',
    meaning: 'A message was larger than the receiving side is willing to process.',
    hint: 'Send smaller messages, or raise the maximum payload size on the server.',
  },
  1010: {
    range: 'standard', name: 'Mandatory Extension',
    meaning: 'The client required an extension the server did not agree to in the handshake.',
    hint: 'The reason lists the missing extensions. Browsers do not send this code themselves.',
  },
  1011: {
    range: 'standard', name: 'Internal Error',
    meaning: 'The server hit an unexpected condition that kept it from handling the request.',
    hint: 'Look in the server logs around the close time.',
  },
  1012: {
    range: 'iana', name: 'Service Restart',
    meaning: 'The server is restarting.',
    hint: 'Reconnect after a short, randomised delay.',
  },
  1013: {
    range: 'iana', name: 'Try Again Later',
    meaning: 'The server is overloaded or temporarily unavailable and turned the client away.',
    hint: 'Reconnect later, with backoff.',
  },
  1014: {
    range: 'iana', name: 'Bad Gateway',
    meaning: 'A gateway or proxy got an invalid response from the server behind it.',
    hint: 'Check the upstream server and the proxy between it and the browser.',
  },
  1015: {
    range: 'standard', name: 'TLS Handshake',
    meaning: 'The connection failed because the TLS handshake did not succeed.',
    hint: 'Usually a certificate the browser does not trust (expired, self-signed, wrong host name). Never sent on the wire.',
  },
};

/** Codes some libraries registered with IANA in 3000–3999 and that pages meet in practice. */
const LIBRARY: Readonly<Record<number, Omit<CloseExplanation, 'range'>>> = {
  3000: {
    name: 'Unauthorized',
    meaning: 'The server rejected the client as not authenticated.',
    hint: 'Check the token or cookie the connection was opened with.',
  },
  3003: {
    name: 'Forbidden',
    meaning: 'The client is authenticated but not allowed to do what it asked.',
    hint: 'Check the permissions of the user or token.',
  },
  3008: {
    name: 'Timeout',
    meaning: 'The server closed the connection because something took too long.',
    hint: 'Often a missed heartbeat or a slow reply; check keep-alive settings on both sides.',
  },
};

export function explainClose(code: number): CloseExplanation {
  if (!Number.isInteger(code) || code < 0 || code > 4999) {
    return {
      range: 'invalid', name: 'Invalid code',
      meaning: 'Not a WebSocket close code: valid codes are whole numbers from 1000 to 4999.',
    };
  }
  if (code < 1000) {
    return {
      range: 'invalid', name: 'Unused code',
      meaning: 'Codes 0–999 are not used by WebSocket; no conforming endpoint sends them.',
    };
  }
  const known = KNOWN[code];
  if (known) return { ...known };
  if (code < 3000) {
    return {
      range: 'reserved', name: 'Reserved for the protocol',
      meaning: 'Codes 1016–2999 are kept for future versions of the WebSocket protocol and its extensions.',
      hint: 'Nothing assigns this code today: the other side is probably misusing it.',
    };
  }
  if (code < 4000) {
    const lib = LIBRARY[code];
    if (lib) return { ...lib, range: 'library' };
    return {
      range: 'library', name: 'Library or framework code',
      meaning: 'Codes 3000–3999 are registered with IANA by libraries, frameworks and applications.',
      hint: 'See the documentation of the WebSocket library the server uses.',
    };
  }
  return {
    range: 'application', name: 'Application code',
    meaning: 'Codes 4000–4999 are for private use: this application gave the code its own meaning.',
    hint: "The meaning is defined by the app's own code or docs; the reason text often says more.",
  };
}

/** Who ended a connection, as one sentence. `initiator` comes from the capture hook. */
export function explainInitiator(initiator: CloseInitiator, wasClean: boolean): string {
  switch (initiator) {
    case 'devtools':
      return wasClean
        ? 'DevTools (this extension) closed the socket, not the page; the server completed the closing handshake.'
        : 'DevTools (this extension) closed the socket, not the page; the closing handshake did not complete cleanly.';
    case 'page':
      return wasClean
        ? 'The page called close(), and the server completed the closing handshake.'
        : 'The page called close(), but the closing handshake did not complete cleanly.';
    case 'server':
      return wasClean
        ? 'The server closed the connection with a clean closing handshake.'
        : 'The server closed the connection, but not cleanly.';
    case 'network':
      return 'No closing handshake: the connection dropped (network, proxy, or a failed handshake).';
  }
}

/** Where a code comes from, as a short label next to its name. */
export function rangeLabel(range: CloseRange): string {
  switch (range) {
    case 'standard': return 'RFC 6455';
    case 'iana': return 'IANA registry';
    case 'reserved': return 'reserved';
    case 'library': return 'library / framework';
    case 'application': return 'application-defined';
    case 'invalid': return 'invalid';
  }
}
