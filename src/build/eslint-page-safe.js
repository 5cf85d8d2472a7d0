// @ts-check
/**
 * ESLint rule for the page hook (src/capture), which runs inside pages that may be hostile. A call of
 * a built-in method — `list.push(x)`, `map.get(k)`, `text.slice(0, 9)`, `Math.max(a, b)` — looks the
 * method up on Array.prototype, Map.prototype, Math … when it runs, and a global — `String(x)`,
 * `new Array(n)` — is looked up on the page's window; by then the page may have replaced either (to
 * see the hook's data, or to break capture). The hook calls what natives.ts took at document_start
 * instead, or writes by index and loops.
 *
 * A method is built in when TypeScript declares it in its standard library (lib.*.d.ts), so the rule
 * needs type information; the hook's own methods (`stream.push(e)`) are not built-ins.
 * Iteration (`for-of`, `spread`, `array-destructuring`) goes through the built-in iterators, which the
 * page can replace too. Options: `globals`, the names of the window the hook must not use; `allow`, what
 * a file is known to use (`Array.prototype.push`, `Math.max`, `String`, `for-of`) until it is fixed.
 */
import ts from 'typescript';

/** How a built-in method is named: `Array.prototype.push`, `Object.create`, `Math.max`, `Reflect.apply`. */
function builtinName(/** @type {ts.Declaration} */ decl, /** @type {string} */ method) {
  let owner = decl.parent;
  while (owner && !ts.isInterfaceDeclaration(owner) && !ts.isModuleDeclaration(owner)) owner = owner.parent;
  if (!owner) return method;
  const name = owner.name.getText();
  if (ts.isModuleDeclaration(owner) || ['Math', 'JSON', 'Console', 'Atomics'].includes(name)) return `${name}.${method}`;
  if (name.endsWith('Constructor')) return `${name.slice(0, -'Constructor'.length)}.${method}`;
  return `${name}.prototype.${method}`;
}

/** @type {import('eslint').Rule.RuleModule} */
export const noPageBuiltins = {
  meta: {
    type: 'problem',
    docs: { description: 'in the page hook, no built-in methods or globals the page can replace' },
    messages: {
      builtin: '{{name}} can be replaced by the page before this runs: use what natives.ts took, or a plain loop.',

    },
    schema: [{
      type: 'object',
      properties: { globals: { type: 'array', items: { type: 'string' } }, allow: { type: 'array', items: { type: 'string' } } },
      additionalProperties: false,
    }],
  },
  create(context) {
    const options = /** @type {{ globals?: string[]; allow?: string[] } | undefined} */ (context.options[0]);
    const globals = new Set(options?.globals ?? []);
    const allow = new Set(options?.allow ?? []);
    const services = context.sourceCode.parserServices;
    if (!services?.program || !services.esTreeNodeToTSNodeMap) throw new Error('this rule needs type information (parserOptions.projectService)');
    const program = services.program;
    const checker = program.getTypeChecker();
    const toTs = services.esTreeNodeToTSNodeMap;
    const report = (/** @type {import('estree').Node} */ node, /** @type {string} */ name) => {
      if (!allow.has(name)) context.report({ node, messageId: 'builtin', data: { name } });
    };

    /** The built-in a call like `x.m(…)` reaches, if it is one. */
    const calledBuiltin = (/** @type {import('estree').Node} */ callee) => {
      if (callee.type === 'ChainExpression') callee = callee.expression;
      if (callee.type !== 'MemberExpression' || callee.object.type === 'Super') return undefined;
      const symbol = checker.getSymbolAtLocation(toTs.get(/** @type {never} */ (callee.property)));
      const decl = symbol?.declarations?.[0];
      if (!symbol || !decl || !program.isSourceFileDefaultLibrary(decl.getSourceFile())) return undefined;
      return { node: callee.property, name: builtinName(decl, symbol.name) };
    };

    return {
      // iteration looks up Symbol.iterator and next() on the built-in prototypes
      ForOfStatement: (node) => report(node, 'for-of'),
      'ArrayExpression > SpreadElement, CallExpression > SpreadElement, NewExpression > SpreadElement': (node) => report(node, 'spread'),
      ArrayPattern: (node) => report(node, 'array-destructuring'),
      CallExpression(node) {
        const b = calledBuiltin(node.callee);
        if (b) report(b.node, b.name);
      },
      'Program:exit'() {
        // value references to the window's globals: declared by the TypeScript libs, or not declared at all
        const scope = context.sourceCode.scopeManager?.globalScope;
        if (!scope) return;
        const refs = [...scope.through, ...scope.variables.filter((v) => globals.has(v.name)).flatMap((v) => v.references)];
        for (const ref of refs) {
          const id = ref.identifier;
          if (!globals.has(id.name) || /** @type {{ isValueReference?: boolean }} */ (ref).isValueReference === false) continue;
          // `Math.max(…)`: the call is reported by its name
          const parent = /** @type {import('estree').Node & { parent?: import('estree').Node }} */ (id).parent;
          // `typeof WebSocket` in a type: nothing runs
          if (/** @type {{ type: string }} */ (parent)?.type === 'TSTypeQuery') continue;
          if (parent?.type === 'MemberExpression' && parent.object === id) {
            const call = /** @type {{ parent?: import('estree').Node }} */ (parent).parent;
            if (call?.type === 'CallExpression' && call.callee === parent && calledBuiltin(parent)) continue;
          }
          report(id, id.name);
        }
      },
    };
  },
};
