import { z } from 'zod';

/**
 * Updates of a state whose schema is a plain object, done per top-level field.
 *
 * The state of a province (its plans with thousands of boards, its paired devices) is several
 * megabytes of JSON, and most updates change one field of it: a release appended, a session
 * added. Copying, validating and serializing the whole document for each one cost a 10,000-board
 * publish about 100 ms of its critical path (parse, zod, stringify), and filled the heap with a
 * copy of the state to collect. Here a draft parses a field only when the update touches it,
 * and only the fields whose JSON changed are validated again; the others keep their committed,
 * already validated value and text.
 *
 * The result is what validating the whole document would give: the schema has no checks
 * across fields (refinements), so validating a field is validating it inside the object; any
 * other shape of update (a field added or removed, an invalid value) is validated as a whole.
 */

/** The committed state with the JSON text of each of its fields, in its own key order. */
export interface KeyedState<T> {
  readonly value: T;
  readonly fields: ReadonlyMap<string, string>;
}

/** The per-field schemas of `schema`, when it is an object whose fields can be validated alone. */
export function fieldSchemas(schema: z.ZodType): Readonly<Record<string, z.ZodType>> | undefined {
  if (!(schema instanceof z.ZodObject)) return undefined;
  if ((schema._zod.def.checks ?? []).length > 0) return undefined;
  return schema.shape;
}

export function keyedState<T>(value: T): KeyedState<T> {
  const fields = new Map<string, string>();
  for (const [key, field] of Object.entries(value as object)) {
    // A field JSON leaves out is not part of the document either.
    const json = JSON.stringify(field) as string | undefined;
    if (json !== undefined) fields.set(key, json);
  }
  return { value, fields };
}

/** The document's JSON as flat pieces (encoded one by one; their concatenation is the text). */
export function documentParts(state: KeyedState<unknown>): string[] {
  const parts: string[] = [];
  for (const [key, json] of state.fields) {
    parts.push(`${parts.length === 0 ? '{' : ','}${JSON.stringify(key)}:`, json);
  }
  parts.push(parts.length === 0 ? '{}' : '}');
  return parts;
}

export interface Draft<T> {
  readonly draft: T;
  /**
   * Whether a field may differ from the committed one: it was read or written through the
   * draft (a read may be followed by a change in place), or is no longer the draft's own.
   */
  readonly touched: (key: string) => boolean;
}

/** A private copy of the committed state whose fields are parsed from their JSON on first use. */
export function lazyDraft<T>(state: KeyedState<T>): Draft<T> {
  const draft: Record<string, unknown> = {};
  const touched = new Set<string>();
  const getters = new Map<string, () => unknown>();
  for (const [key, json] of state.fields) {
    let value: unknown;
    let loaded = false;
    const get = () => {
      if (!loaded) {
        value = JSON.parse(json);
        loaded = true;
      }
      touched.add(key);
      return value;
    };
    getters.set(key, get);
    Object.defineProperty(draft, key, {
      enumerable: true,
      configurable: true,
      get,
      set(next: unknown) {
        value = next;
        loaded = true;
        touched.add(key);
      },
    });
  }
  return {
    draft: draft as T,
    touched: (key) =>
      touched.has(key) || Object.getOwnPropertyDescriptor(draft, key)?.get !== getters.get(key),
  };
}

/**
 * The next committed state from a draft the update is done with, or `undefined` when it must be
 * validated as a whole (its fields are not the committed ones, or a changed field is invalid:
 * the whole validation then gives the error with its full path).
 */
export function commitFields<T>(
  committed: KeyedState<T>,
  { draft, touched }: Draft<T>,
  schemas: Readonly<Record<string, z.ZodType>>,
): KeyedState<T> | undefined {
  const keys = Object.keys(draft as object);
  if (keys.length !== committed.fields.size) return undefined;
  const value: Record<string, unknown> = {};
  const fields = new Map<string, string>();
  const old = committed.value as Record<string, unknown>;
  for (const key of keys) {
    const before = committed.fields.get(key);
    const schema = schemas[key];
    if (before === undefined || schema === undefined) return undefined;
    if (!touched(key)) {
      value[key] = old[key];
      fields.set(key, before);
      continue;
    }
    const next = (draft as Record<string, unknown>)[key];
    const json = JSON.stringify(next) as string | undefined;
    if (json === before) {
      value[key] = old[key];
      fields.set(key, before);
      continue;
    }
    const parsed = schema.safeParse(next);
    if (!parsed.success) return undefined;
    const parsedJson = JSON.stringify(parsed.data) as string | undefined;
    if (parsedJson === undefined) return undefined;
    value[key] = parsed.data;
    fields.set(key, parsedJson);
  }
  return { value: value as T, fields };
}

/** The draft as a plain object (every field parsed), for validating it as a whole. */
export function materialize<T>({ draft }: Draft<T>): T {
  return { ...(draft as object) } as T;
}
