/**
 * JSON for interception in the page hook: parsed into objects and arrays
 * without prototypes (so serialising them looks up no `toJSON`, and reading a
 * missing key finds nothing a page put on Object.prototype), with the JSON
 * functions taken at start. Paths are dot-separated (`a.b.0.c`).
 */
import type { Natives } from '../natives';

type Json = Record<string, unknown> | unknown[];

/** The message as JSON, or undefined when it is not JSON. */
export function parseJson(n: Natives, text: string): unknown {
  try {
    return n.jsonParse(text, function (this: unknown, _key: string, value: unknown) {
      if (typeof value !== 'object' || value === null) return value;
      if (n.isArray(value)) {
        const list = n.list<unknown>();
        const from = value as unknown[];
        for (let i = 0; i < from.length; i++) list[i] = from[i];
        return list;
      }
      const dict = n.dict<unknown>();
      const keys = n.ownKeys(value);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        dict[k] = (value as Record<string, unknown>)[k];
      }
      return dict;
    });
  } catch {
    return undefined;
  }
}

export function stringifyJson(n: Natives, value: unknown): string {
  return n.jsonStringify(value) ?? 'null';
}

/** The parts of a dot path. */
export function pathParts(n: Natives, path: string): string[] {
  const parts = n.list<string>();
  let from = 0;
  for (;;) {
    const dot = n.strIndexOf(path, '.', from);
    parts[parts.length] = n.strSlice(path, from, dot < 0 ? path.length : dot);
    if (dot < 0) return parts;
    from = dot + 1;
  }
}

/** The key of `obj` named `name`: exactly, else the first own key equal to it in any case. */
function keyOf(n: Natives, obj: Json, name: string): string | undefined {
  if (n.hasOwn(obj, name)) return name;
  const lower = n.strToLowerCase(name);
  const keys = n.ownKeys(obj);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (typeof k === 'string' && n.strToLowerCase(k) === lower) return k;
  }
  return undefined;
}

const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null;

/** The value at a dot path (names in any case), or undefined. */
export function getPath(n: Natives, root: unknown, path: string): unknown {
  const parts = pathParts(n, path);
  let v = root;
  for (let i = 0; i < parts.length; i++) {
    if (!isJson(v)) return undefined;
    const k = keyOf(n, v, parts[i]!);
    if (k === undefined) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** Set the value at a dot path (the parents must exist); false when they do not. */
export function setPath(n: Natives, root: unknown, path: string, value: unknown): boolean {
  const parts = pathParts(n, path);
  let v = root;
  for (let i = 0; i < parts.length - 1; i++) {
    if (!isJson(v)) return false;
    const k = keyOf(n, v, parts[i]!);
    if (k === undefined) return false;
    v = (v as Record<string, unknown>)[k];
  }
  if (!isJson(v)) return false;
  const last = parts[parts.length - 1]!;
  (v as Record<string, unknown>)[keyOf(n, v, last) ?? last] = value;
  return true;
}
