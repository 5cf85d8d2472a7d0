/**
 * Build-time removal of two capabilities our bundles never use but that
 * addons.mozilla.org's linter rightly flags in the Firefox package:
 *
 * - protobufjs' code generator (`util/codegen`, `Function(...)`): it compiles
 *   encoders/decoders for `Type.encode/decode`, which our protobuf decoder never
 *   calls (it walks the wire format with protobufjs' reflection objects: see
 *   src/decode/protobuf-schema.ts; the extension's CSP forbids eval anyway).
 *   The module is replaced by one that refuses, so a future call fails loudly.
 * - Preact's `dangerouslySetInnerHTML` sink (`dom.innerHTML = __html`): the
 *   panel renders captured data as text only and never uses that prop. The
 *   assignment is replaced by a throw, so the panel bundle holds no innerHTML write.
 *
 * Each rewrite must match exactly once: a dependency update that moves the code
 * fails the build instead of silently shipping the sink again.
 * (cbor-x needs no rewrite: it ships a build without code generation,
 * `cbor-x/decode-no-eval`, which the decoders import.)
 */
import type { Plugin } from 'vite';

const CODEGEN_STUB = '\0wsi-no-codegen';

/** `(t.innerHTML=h.__html)` in preact/dist/preact.mjs, whatever the minifier named the variables */
const PREACT_INNER_HTML = /\(([\w$]+)\.innerHTML=([\w$]+)\.__html\)/g;

export function storeClean(): Plugin {
  return {
    name: 'wsi-store-clean',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === './util/codegen' && importer && /[\\/]node_modules[\\/]protobufjs[\\/]src[\\/]util\.js$/.test(importer)) return CODEGEN_STUB;
      return null;
    },
    load(id) {
      if (id !== CODEGEN_STUB) return null;
      return 'module.exports = function codegen() { throw new Error("protobufjs code generation is not in this build (CSP: no eval)"); };';
    },
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.mjs$/.test(id)) return null;
      const found = code.match(PREACT_INNER_HTML)?.length ?? 0;
      if (found !== 1) this.error(`store-clean: expected Preact's one innerHTML write in ${id}, found ${found}: check this rewrite after a Preact update`);
      return { code: code.replace(PREACT_INNER_HTML, '(()=>{throw Error("dangerouslySetInnerHTML is not supported in this panel")})()'), map: null };
    },
  };
}
