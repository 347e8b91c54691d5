// What a connection costs, object by object: the difference between two heap snapshots
// divided by the boards that connected between them.
//
//   BENCH_HEAP_SNAPSHOT_DIR=.tmp/heap npm run bench -- M2
//   npx tsx bench/heap-diff.ts .tmp/heap/bangtin-1.heapsnapshot .tmp/heap/bangtin-2.heapsnapshot 10000
//
// (With `-- M2`, each server writes `<server>-1` before its boards connect and `<server>-2`
// after: bangtin, ws and socketio; a whole run numbers every measurement of a server.) Own bytes only: a Map's table shows as `array:`, a dictionary-mode
// object's properties as `array:(object properties)`.
import { readFile } from 'node:fs/promises';
import { heapClasses, heapGrowth } from './lib/heap.js';

const [beforeFile, afterFile, unitsText, topText = '30'] = process.argv.slice(2);
if (beforeFile === undefined || afterFile === undefined || unitsText === undefined) {
  console.error('usage: heap-diff <before.heapsnapshot> <after.heapsnapshot> <units> [top]');
  process.exit(2);
}
const units = Number(unitsText);
const top = Number(topText);
if (!Number.isInteger(units) || units <= 0 || !Number.isInteger(top) || top <= 0) {
  console.error('units and top must be positive integers');
  process.exit(2);
}

const load = async (file: string) => heapClasses(JSON.parse(await readFile(file, 'utf8')));
const rows = heapGrowth(await load(beforeFile), await load(afterFile), units);
const total = rows.reduce((sum, r) => sum + r.bytes, 0);
console.log(`${total.toFixed(0)} bytes per unit (own sizes of the objects added)`);
console.log(`${'bytes'.padStart(8)} ${'count'.padStart(7)}  kind`);
for (const r of rows.slice(0, top)) {
  console.log(`${r.bytes.toFixed(1).padStart(8)} ${r.count.toFixed(2).padStart(7)}  ${r.kind}`);
}
