// What a heap snapshot (V8's .heapsnapshot, as `v8.writeHeapSnapshot` writes it) holds, by
// kind of object, and what a second one holds more: with BENCH_HEAP_SNAPSHOT_DIR, M2 writes one
// before and one after its boards connect, and the difference divided by the boards is what
// each connection costs, object by object (bench/heap-diff.ts prints it).
import { z } from 'zod';

const SnapshotSchema = z.object({
  snapshot: z.object({
    meta: z.object({
      node_fields: z.array(z.string()),
      node_types: z.tuple([z.array(z.string())]).rest(z.unknown()),
    }),
  }),
  nodes: z.array(z.number()),
  strings: z.array(z.string()),
});

/** Objects of one kind: how many, and their own bytes (not what they reference). */
export interface HeapClass {
  count: number;
  bytes: number;
}

/** Node types whose name says what they are (an object's constructor, a closure's function). */
const NAMED = new Set(['object', 'closure', 'native', 'hidden', 'array', 'code', 'object shape']);
/** Strings of every kind count as one: their names are their contents. */
const STRINGS = new Set(['string', 'concatenated string', 'sliced string']);

/**
 * The snapshot's objects grouped by kind: `object:Socket`, `closure:onReady`, `string`, ...
 * (each type with its name where the name is a class rather than a value).
 */
export function heapClasses(snapshotJson: unknown): Map<string, HeapClass> {
  const snap = SnapshotSchema.parse(snapshotJson);
  const { node_fields: fields, node_types: nodeTypes } = snap.snapshot.meta;
  const [types] = nodeTypes;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  if (typeAt < 0 || nameAt < 0 || sizeAt < 0) throw new Error('not a V8 heap snapshot');
  const classes = new Map<string, HeapClass>();
  const { nodes, strings } = snap;
  for (let i = 0; i + width <= nodes.length; i += width) {
    const type = types[nodes[i + typeAt] ?? -1] ?? 'unknown';
    const name = strings[nodes[i + nameAt] ?? -1] ?? '';
    const key = STRINGS.has(type)
      ? 'string'
      : NAMED.has(type)
        ? `${type}:${name.slice(0, 40)}`
        : type;
    const found = classes.get(key) ?? { count: 0, bytes: 0 };
    found.count += 1;
    found.bytes += nodes[i + sizeAt] ?? 0;
    classes.set(key, found);
  }
  return classes;
}

/** One row of a difference: what `after` holds more than `before`, per unit (a connection). */
export interface HeapGrowth {
  kind: string;
  count: number;
  bytes: number;
}

/** What `after` holds more than `before`, divided by `units`, largest first. */
export function heapGrowth(
  before: ReadonlyMap<string, HeapClass>,
  after: ReadonlyMap<string, HeapClass>,
  units: number,
): HeapGrowth[] {
  if (!(units > 0)) throw new RangeError(`units must be positive, got ${String(units)}`);
  const rows: HeapGrowth[] = [];
  for (const kind of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(kind) ?? { count: 0, bytes: 0 };
    const b = after.get(kind) ?? { count: 0, bytes: 0 };
    rows.push({ kind, count: (b.count - a.count) / units, bytes: (b.bytes - a.bytes) / units });
  }
  return rows.sort((x, y) => y.bytes - x.bytes || x.kind.localeCompare(y.kind));
}
