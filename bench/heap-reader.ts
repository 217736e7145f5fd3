/**
 * What reading a heap snapshot costs soak: the three-snapshot diff of a process whose last
 * snapshot is ~100 MB, timed phase by phase, with the peak RSS of the process doing it, next to
 * the naive way (JSON.parse of the whole file) for scale. Each measurement runs in a fresh
 * process so that peak RSS is its own.
 *
 *   npx tsx bench/heap-reader.ts [objects=200000]
 *
 * `objects` sets the size: about 500 bytes of snapshot per object held (200,000 -> ~100 MB).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const [mode, ...args] = process.argv.slice(2);
const MB = 1024 * 1024;
const peakRssMB = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** A heap of `objects` small records (each with a string and a list) that grows by a tenth between snapshots. */
function writeSnapshots(dir: string, objects: number): void {
  const script = `
    const { writeHeapSnapshot } = require('node:v8');
    class Order { constructor(i) { this.id = 'order-' + i; this.lines = [{ sku: 'sku-' + (i % 5000), qty: i % 7 }]; } }
    const held = [];
    const grow = (n) => { for (let i = 0; i < n; i++) held.push(new Order(held.length)); };
    grow(${objects});
    writeHeapSnapshot(${JSON.stringify(join(dir, '1.heapsnapshot'))});
    grow(${Math.round(objects / 10)});
    writeHeapSnapshot(${JSON.stringify(join(dir, '2.heapsnapshot'))});
    grow(${Math.round(objects / 10)});
    writeHeapSnapshot(${JSON.stringify(join(dir, '3.heapsnapshot'))});
  `;
  execFileSync(process.execPath, ['--max-old-space-size=4096', '-e', script], { stdio: 'inherit' });
}

const snapshots = (dir: string) => ['1', '2', '3'].map((n) => join(dir, `${n}.heapsnapshot`)) as [string, string, string];

async function timed<T>(work: () => Promise<T> | T): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, Math.round(performance.now() - started)];
}

/** The whole diff, alone in its process: its time and its peak RSS. */
async function measureDiff(dir: string): Promise<void> {
  const { diffSnapshots } = await import('../src/heap/index.js');
  const [diff, diffMs] = await timed(() => diffSnapshots(snapshots(dir)));
  console.log(JSON.stringify({ diffMs, top: diff.leakingTypes[0]?.name ?? '', peakRssMB: peakRssMB() }));
}

/** The diff's phases one by one. */
async function measurePhases(dir: string): Promise<void> {
  const { dominators } = await import('../src/heap/dominators.js');
  const { RetainerPaths } = await import('../src/heap/paths.js');
  const { readSnapshotGraph, readSnapshotIds } = await import('../src/heap/read.js');
  const files = snapshots(dir);
  const [, idsMs] = await timed(() => readSnapshotIds(files[0]));
  const [graph, graphMs] = await timed(() => readSnapshotGraph(files[2]));
  const [, dominatorsMs] = await timed(() => dominators(graph));
  const [, pathsMs] = await timed(() => new RetainerPaths(graph));
  console.log(JSON.stringify({ nodes: graph.nodeCount, edges: graph.edgeCount, idsMs, graphMs, dominatorsMs, pathsMs }));
}

function measureJsonParse(file: string): void {
  const started = performance.now();
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { nodes: number[] };
  console.log(JSON.stringify({ ms: Math.round(performance.now() - started), nodes: parsed.nodes.length, peakRssMB: peakRssMB() }));
}

function child(childMode: string, ...childArgs: string[]): Record<string, number | string> {
  const output = execFileSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', self, childMode, ...childArgs], { encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').at(-1)!) as Record<string, number | string>;
}

if (mode === 'diff') await measureDiff(args[0]!);
else if (mode === 'phases') await measurePhases(args[0]!);
else if (mode === 'json') measureJsonParse(args[0]!);
else {
  const objects = Number(mode ?? 200_000);
  const dir = mkdtempSync(join(tmpdir(), 'soak-bench-heap-'));
  try {
    writeSnapshots(dir, objects);
    const sizes = ['1', '2', '3'].map((n) => Math.round(statSync(join(dir, `${n}.heapsnapshot`)).size / MB));
    console.log(`snapshots: ${sizes.join(' / ')} MB (${objects.toLocaleString('en-US')} objects held at the first)`);
    const last = sizes[2]!;
    const phases = child('phases', dir);
    const reader = child('diff', dir);
    console.log(`streaming reader, last snapshot ${last} MB: ${(phases.nodes as number).toLocaleString('en-US')} nodes, ${(phases.edges as number).toLocaleString('en-US')} edges`);
    console.log(`  ids of a snapshot ${phases.idsMs} ms; nodes+edges ${phases.graphMs} ms (${Math.round((last * 1000) / (phases.graphMs as number))} MB/s); dominators ${phases.dominatorsMs} ms; retainer paths ${phases.pathsMs} ms`);
    console.log(`  whole three-snapshot diff ${reader.diffMs} ms, peak RSS ${reader.peakRssMB} MB (${((reader.peakRssMB as number) / last).toFixed(2)} x the file); names ${reader.top} first`);
    const json = child('json', join(dir, '3.heapsnapshot'));
    console.log(`JSON.parse of the last snapshot, for scale: ${json.ms} ms, peak RSS ${json.peakRssMB} MB (${((json.peakRssMB as number) / last).toFixed(2)} x the file)`);
    console.log(`ratio reader/JSON.parse: time of the whole diff ${((reader.diffMs as number) / (json.ms as number)).toFixed(2)}, peak RSS ${((reader.peakRssMB as number) / (json.peakRssMB as number)).toFixed(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
