/**
 * The one base64 codec of the extension: binary payloads on extension ports
 * (Chrome without structured-clone messaging serialises port messages as JSON,
 * so ArrayBuffers cannot travel as they are), batch columns on such ports, and
 * the panel's byte views. Uses the native Uint8Array base64 methods where the
 * engine has them.
 */
type WithBase64 = { toBase64?: () => string };
type FromBase64 = { fromBase64?: (s: string) => Uint8Array };

export function bytesToBase64(bytes: Uint8Array): string {
  const native = (bytes as unknown as WithBase64).toBase64;
  if (native) return native.call(bytes);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000) as unknown as number[]);
  }
  return btoa(bin);
}

/** Decode base64; throws on invalid input. */
export function base64ToBytes(b64: string): Uint8Array {
  const native = (Uint8Array as unknown as FromBase64).fromBase64;
  if (native) return native(b64);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Bytes a base64 string encodes, without decoding it (padding optional). */
export function base64Length(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor(((b64.length - pad) * 3) / 4);
}

/** Decode at most the first `maxBytes` bytes, without decoding the rest (previews of big frames). */
export function base64Prefix(b64: string, maxBytes: number): Uint8Array {
  const chars = Math.ceil(maxBytes / 3) * 4;
  const bytes = base64ToBytes(b64.length > chars ? b64.slice(0, chars) : b64);
  return bytes.length > maxBytes ? bytes.subarray(0, maxBytes) : bytes;
}
