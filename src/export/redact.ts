/**
 * Redaction before export (on by default): secrets in URL query strings and
 * userinfo, JWTs anywhere, Authorization-style credentials and secret-named
 * fields in payloads, and the user's own patterns. Returns what it replaced,
 * per rule, so the export can show a visible summary.
 *
 * Text is replaced by a placeholder. Binary payloads keep their length (their
 * formats carry length prefixes), so matches there become '*' bytes.
 */
export type RuleName = 'url-secret' | 'url-userinfo' | 'jwt' | 'auth-header' | 'secret-field' | 'custom';

export interface RedactionOptions {
  /** default true */
  enabled?: boolean;
  /** turn built-in rules off one by one (all on by default) */
  rules?: Partial<Record<Exclude<RuleName, 'custom'>, boolean>>;
  /** the user's own patterns; every match is replaced */
  patterns?: RegExp[];
  /** default '[REDACTED]' ('REDACTED' inside URLs, where brackets would be escaped) */
  placeholder?: string;
}

export interface RedactionSummary {
  enabled: boolean;
  counts: Partial<Record<RuleName, number>>;
  total: number;
  /** one line for the UI, e.g. "Redacted 3: 2 URL secrets, 1 JWT" */
  text: string;
}

/** Query parameter names whose values are credentials. */
const SECRET_PARAM = /^(?:.*[-_.])?(?:token|access_?token|id_?token|refresh_?token|auth|authorization|key|api_?key|apikey|password|passwd|pwd|pass|secret|client_?secret|session|session_?id|sessionid|sid|sig|signature|jwt|bearer|credential|credentials|ticket|code|x-amz-signature|x-amz-credential|x-amz-security-token)$/i;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const AUTH = /\b(Bearer|Basic|Digest|Token)(\s+)[A-Za-z0-9._~+/=-]{8,}/g;
/** "password": "…", "access_token":"…", STOMP/HTTP-style `passcode:…` header lines */
const SECRET_FIELD = /("(?:password|passwd|passcode|secret|client_secret|token|access_token|refresh_token|id_token|api_?key|apikey|authorization|cookie|set-cookie)"\s*:\s*")((?:[^"\\]|\\.)*)(")|(^|\n)((?:passcode|authorization|cookie|x-api-key):)([^\n\0]*)/gi;
const URLS = /\b(?:wss?|https?):\/\/[^\s"'<>\\]+/g;

const LABELS: Record<RuleName, [string, string]> = {
  'url-secret': ['URL secret', 'URL secrets'], 'url-userinfo': ['URL password', 'URL passwords'], jwt: ['JWT', 'JWTs'],
  'auth-header': ['Authorization credential', 'Authorization credentials'], 'secret-field': ['secret field', 'secret fields'],
  custom: ['custom pattern match', 'custom pattern matches'],
};

export class Redactor {
  readonly enabled: boolean;
  private readonly counts: Partial<Record<RuleName, number>> = {};
  private readonly on: (r: RuleName) => boolean;
  private readonly placeholder: string;
  private readonly patterns: RegExp[];

  constructor(opts: RedactionOptions = {}) {
    this.enabled = opts.enabled !== false;
    this.on = (r) => this.enabled && (r === 'custom' || opts.rules?.[r] !== false);
    this.placeholder = opts.placeholder ?? '[REDACTED]';
    // global copies: replaceAll needs the g flag, and callers' regexes keep their lastIndex
    this.patterns = (opts.patterns ?? []).map((p) => new RegExp(p.source, p.flags.includes('g') ? p.flags : p.flags + 'g'));
  }

  private count(rule: RuleName, n = 1): void {
    this.counts[rule] = (this.counts[rule] ?? 0) + n;
  }

  /** Replace every match of `re` via `to`, counting under `rule`. */
  private sub(s: string, rule: RuleName, re: RegExp, to: (m: string, ...groups: string[]) => string): string {
    if (!this.on(rule)) return s;
    return s.replace(re, (m: string, ...g: unknown[]) => {
      if (m === '') return m; // a user pattern that matches nothing must not loop or count
      const r = to(m, ...(g as string[]));
      if (r !== m) this.count(rule);
      return r;
    });
  }

  /** A URL: secret query values, user:password@, JWTs, custom patterns. */
  url(u: string): string {
    if (!this.enabled) return u;
    let s = this.sub(u, 'url-userinfo', /^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]+)@/i, (_m, scheme) => `${scheme}REDACTED@`);
    s = this.sub(s, 'url-secret', /([?&;#])([^=&#;]+)=([^&#;]*)/g, (m, sep, name, value) => {
      let decoded = name;
      try { decoded = decodeURIComponent(name); } catch { /* keep raw */ }
      return value && SECRET_PARAM.test(decoded) && value !== 'REDACTED' ? `${sep}${name}=REDACTED` : m;
    });
    return this.common(s);
  }

  /** Free text (payloads, reasons, protocols): URLs inside, credentials, JWTs, custom patterns. */
  text(t: string): string {
    if (!this.enabled) return t;
    let s = this.on('url-secret') || this.on('url-userinfo') ? t.replace(URLS, (u) => this.url(u)) : t;
    s = this.sub(s, 'auth-header', AUTH, (_m, scheme, space) => `${scheme}${space}${this.placeholder}`);
    s = this.sub(s, 'secret-field', SECRET_FIELD, (m, open, value, close, nl, header) =>
      open !== undefined ? (value ? `${open}${this.placeholder}${close}` : m) : `${nl}${header}${this.placeholder}`);
    return this.common(s);
  }

  private common(s: string): string {
    s = this.sub(s, 'jwt', JWT, () => this.placeholder);
    for (const re of this.patterns) s = this.sub(s, 'custom', re, () => this.placeholder);
    return s;
  }

  /** Binary: same length out, matches of the text rules masked with '*' (bytes read as Latin-1). */
  bytes(b: Uint8Array): Uint8Array {
    if (!this.enabled) return b;
    let latin = '';
    for (let i = 0; i < b.length; i += 0x8000) latin += String.fromCharCode(...b.subarray(i, i + 0x8000));
    const mask = (m: string) => '*'.repeat(m.length);
    let s = this.sub(latin, 'jwt', JWT, mask);
    s = this.sub(s, 'auth-header', AUTH, (m, scheme, space) => scheme + space + '*'.repeat(m.length - scheme.length - space.length));
    for (const re of this.patterns) s = this.sub(s, 'custom', re, mask);
    if (s === latin || s.length !== b.length) return b; // a custom pattern could change the length: leave it
    return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
  }

  summary(): RedactionSummary {
    const entries = Object.entries(this.counts) as [RuleName, number][];
    const total = entries.reduce((a, [, n]) => a + n, 0);
    const parts = entries.map(([r, n]) => `${n} ${LABELS[r][n === 1 ? 0 : 1]}`);
    const text = !this.enabled ? 'Redaction off: secrets are exported as captured'
      : total === 0 ? 'Redaction on: nothing to redact' : `Redacted ${total}: ${parts.join(', ')}`;
    return { enabled: this.enabled, counts: { ...this.counts }, total, text };
  }
}

/** Compile user-typed patterns (regex source, or /source/flags); says which one is invalid. */
export function compilePatterns(sources: readonly string[]): { ok: true; patterns: RegExp[] } | { ok: false; error: string } {
  const patterns: RegExp[] = [];
  for (const [i, src] of sources.entries()) {
    const m = /^\/(.*)\/([a-z]*)$/s.exec(src);
    try { patterns.push(m ? new RegExp(m[1]!, m[2]) : new RegExp(src)); } catch (e) {
      return { ok: false, error: `pattern ${i + 1} (${JSON.stringify(src)}): ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  return { ok: true, patterns };
}
