import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoakError } from '../../src/core/errors.js';
import { dominators, ROOT } from '../../src/heap/dominators.js';
import type { HeapGraph } from '../../src/heap/graph.js';
import { HeapNames } from '../../src/heap/names.js';
import { RetainerPaths } from '../../src/heap/paths.js';
import { readSnapshotGraph, readSnapshotIds, readStrings } from '../../src/heap/read.js';

const fixture = fileURLToPath(new URL('./fixtures/known-objects.cjs', import.meta.url));

interface ParsedSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] }; node_count: number; edge_count: number };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/**
 * Immediate dominators the slow, obvious way (Cooper, Harvey and Kennedy's iterative algorithm on
 * the whole parsed file), to check the streaming reader and Lengauer-Tarjan against.
 */
function referenceDominators(graph: HeapGraph): Int32Array {
  const { nodeCount, firstEdge, edgeTo, edgeType, edgeTypes } = graph;
  const weak = edgeTypes.indexOf('weak');
  const shortcut = edgeTypes.indexOf('shortcut');
  const keeps = (edge: number, from: number) => edgeType[edge] !== weak && (edgeType[edge] !== shortcut || from === ROOT);
  const postorder: number[] = [];
  const number = new Int32Array(nodeCount).fill(-1);
  const visited = new Uint8Array(nodeCount);
  const stack: [number, number][] = [[ROOT, firstEdge[ROOT]!]];
  visited[ROOT] = 1;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [node, edge] = top;
    if (edge === firstEdge[node + 1]) {
      stack.pop();
      number[node] = postorder.length;
      postorder.push(node);
      continue;
    }
    top[1] = edge + 1;
    const next = edgeTo[edge]!;
    if (!visited[next] && keeps(edge, node)) {
      visited[next] = 1;
      stack.push([next, firstEdge[next]!]);
    }
  }
  const preds: number[][] = Array.from({ length: nodeCount }, () => []);
  for (let node = 0; node < nodeCount; node += 1) {
    for (let edge = firstEdge[node]!; edge < firstEdge[node + 1]!; edge += 1) if (visited[node] && keeps(edge, node)) preds[edgeTo[edge]!]!.push(node);
  }
  const idom = new Int32Array(nodeCount).fill(-1);
  idom[ROOT] = ROOT;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (number[a]! < number[b]!) a = idom[a]!;
      while (number[b]! < number[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = postorder.length - 2; i >= 0; i -= 1) {
      const node = postorder[i]!;
      let candidate = -1;
      for (const pred of preds[node]!) if (idom[pred] !== -1) candidate = candidate === -1 ? pred : intersect(pred, candidate);
      if (candidate !== idom[node]) {
        idom[node] = candidate;
        changed = true;
      }
    }
  }
  return idom;
}

describe('heap snapshot reader', () => {
  let dir: string;
  let file: string;
  let parsed: ParsedSnapshot;
  let graph: HeapGraph;
  let strings: Map<number, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'soak-heap-'));
    file = join(dir, 'known.heapsnapshot');
    execFileSync(process.execPath, [fixture, file]);
    // The file of a tiny process is a few MB: parsing it whole is fine here, as the reference.
    parsed = JSON.parse(readFileSync(file, 'utf8')) as ParsedSnapshot;
    graph = await readSnapshotGraph(file);
    strings = await readStrings(file, graph, new Set(parsed.strings.keys()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every node, edge and string as V8 wrote them', () => {
    const nodeFields = parsed.snapshot.meta.node_fields.length;
    const edgeFields = parsed.snapshot.meta.edge_fields.length;
    expect(graph.nodeCount).toBe(parsed.nodes.length / nodeFields);
    expect(graph.edgeCount).toBe(parsed.edges.length / edgeFields);
    for (let node = 0; node < graph.nodeCount; node += 1) {
      const at = node * nodeFields;
      expect([graph.nodeType[node], graph.nodeName[node], graph.nodeId[node], graph.selfSize[node], graph.firstEdge[node + 1]! - graph.firstEdge[node]!]).toEqual(parsed.nodes.slice(at, at + 5));
    }
    for (let edge = 0; edge < graph.edgeCount; edge += 1) {
      const at = edge * edgeFields;
      expect([graph.edgeType[edge], graph.edgeName[edge], graph.edgeTo[edge]! * nodeFields]).toEqual(parsed.edges.slice(at, at + 3));
    }
    expect([...strings.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text)).toEqual(parsed.strings);
  });

  it('reads only the ids of a snapshot when that is all a diff needs of it', async () => {
    const ids = await readSnapshotIds(file);
    expect(ids.size).toBe(graph.nodeCount);
    for (const node of [0, 1, graph.nodeCount >> 1, graph.nodeCount - 1]) expect(ids.has(graph.nodeId[node]!)).toBe(true);
    expect(ids.has(0xfffffff0)).toBe(false);
  });

  it('finds the same dominators as the iterative reference algorithm, and retained sizes that add up', () => {
    const { idom, retained, order } = dominators(graph);
    expect([...idom]).toEqual([...referenceDominators(graph)]);
    const reachableBytes = [...order].reduce((sum, node) => sum + graph.selfSize[node]!, 0);
    expect(retained[ROOT]).toBe(reachableBytes);
  });

  it('sees the known objects: each retains its own string but not the shared one, and the holder retains them all', () => {
    const { idom, retained } = dominators(graph);
    const names = new HeapNames(graph, strings);
    const known = [...Array(graph.nodeCount).keys()].filter((node) => names.typeOf(node) === 'KnownThing');
    expect(known).toHaveLength(1000);
    const stringOf = (node: number, property: string) => {
      for (let edge = graph.firstEdge[node]!; edge < graph.firstEdge[node + 1]!; edge += 1) {
        if (graph.edgeTypes[graph.edgeType[edge]!] === 'property' && strings.get(graph.edgeName[edge]!) === property) return graph.edgeTo[edge]!;
      }
      throw new Error(`no ${property}`);
    };
    for (const node of known) {
      const own = stringOf(node, 'own');
      expect(graph.selfSize[own]).toBeGreaterThanOrEqual(1000);
      expect(idom[own]).toBe(node);
      expect(retained[node]).toBe(graph.selfSize[node]! + graph.selfSize[own]!);
      expect(idom[stringOf(node, 'shared')]).not.toBe(node);
    }
    const holder = known.map((node) => {
      let at = node;
      while (names.typeOf(at) !== 'Object {items, shared}') at = idom[at]!;
      return at;
    });
    expect(new Set(holder).size).toBe(1);
    const perThing = retained[known[0]!]!;
    expect(retained[holder[0]!]).toBeGreaterThan(1000 * perThing);
  });

  it('gives the shortest path from the roots through the global holder', () => {
    const names = new HeapNames(graph, strings);
    const known = [...Array(graph.nodeCount).keys()].find((node) => names.typeOf(node) === 'KnownThing')!;
    const path = names.pathText(new RetainerPaths(graph).pathTo(known), 'KnownThing');
    expect(path.at(-1)).toMatch(/^KnownThing @\d+$/);
    expect(path.join(' → ')).toMatch(/^global @\d+ \.holder → Object @\d+ \.items → Array @\d+ \[\d+\] → KnownThing @\d+$/);
  });

  it('refuses a snapshot cut short, or a file that is none, with a one-line error', async () => {
    const whole = readFileSync(file);
    const cut = join(dir, 'cut.heapsnapshot');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.4)));
    await expect(readSnapshotGraph(cut)).rejects.toThrow(new SoakError('io', 'heap snapshot ends before its arrays do (truncated file?)'));
    const foreign = join(dir, 'foreign.heapsnapshot');
    writeFileSync(foreign, JSON.stringify({ snapshot: { title: 'not V8' }, nodes: [] }));
    await expect(readSnapshotIds(foreign)).rejects.toThrow('heap snapshot: its header has no node and edge layout (meta)');
  });
});
