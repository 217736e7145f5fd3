import type { HeapGraph } from './graph.js';

/** The dominator tree of a heap and the retained size of every object. */
export interface Dominators {
  /** Reachable nodes in depth-first preorder: a node's dominator always comes before it. */
  order: Uint32Array;
  /** Immediate dominator of each node; the root is its own; -1 for nodes no strong path reaches. */
  idom: Int32Array;
  /** Bytes freed if the node went: its self size plus everything it dominates. */
  retained: Float64Array;
}

/**
 * Which edges keep an object alive. Weak edges do not; shortcut edges (the root's links to the
 * global objects, duplicates of real paths elsewhere) count only from the root, as in DevTools.
 */
export function essentialEdges(graph: HeapGraph): (edge: number, from: number) => boolean {
  const weak = graph.edgeTypes.indexOf('weak');
  const shortcut = graph.edgeTypes.indexOf('shortcut');
  const edgeType = graph.edgeType;
  return (edge, from) => {
    const type = edgeType[edge];
    return type !== weak && (type !== shortcut || from === ROOT);
  };
}

/** V8 writes the synthetic "(root)" first. */
export const ROOT = 0;

/** Predecessors over essential edges, as a compressed list: the preds of n are from[start[n] .. start[n + 1] - 1]. */
function predecessors(graph: HeapGraph, essential: (edge: number, from: number) => boolean): { start: Uint32Array; from: Uint32Array } {
  const { nodeCount, firstEdge, edgeTo } = graph;
  const start = new Uint32Array(nodeCount + 1);
  for (let node = 0; node < nodeCount; node += 1) {
    for (let edge = firstEdge[node]!, end = firstEdge[node + 1]!; edge < end; edge += 1) if (essential(edge, node)) start[edgeTo[edge]! + 1]! += 1;
  }
  for (let node = 0; node < nodeCount; node += 1) start[node + 1]! += start[node]!;
  const from = new Uint32Array(start[nodeCount]!);
  const fill = start.slice(0, nodeCount);
  for (let node = 0; node < nodeCount; node += 1) {
    for (let edge = firstEdge[node]!, end = firstEdge[node + 1]!; edge < end; edge += 1) if (essential(edge, node)) from[fill[edgeTo[edge]!]!++] = node;
  }
  return { start, from };
}

/**
 * Lengauer-Tarjan (the simple version, path compression without balancing: O(E log N)) over the
 * essential edges from the root. Every array is typed and indexed by depth-first number, and both
 * the depth-first search and the path compression use explicit stacks: heaps of millions of
 * objects would overflow the call stack.
 */
export function dominators(graph: HeapGraph): Dominators {
  const { nodeCount, firstEdge, edgeTo, selfSize } = graph;
  const essential = essentialEdges(graph);

  // Depth-first numbering: dfn[node] -> number, vertex[number] -> node, parent by number.
  const dfn = new Int32Array(nodeCount).fill(-1);
  const vertex = new Uint32Array(nodeCount);
  const parent = new Int32Array(nodeCount);
  const stackNode = new Uint32Array(nodeCount);
  const stackEdge = new Uint32Array(nodeCount);
  let reached = 1;
  dfn[ROOT] = 0;
  vertex[0] = ROOT;
  parent[0] = -1;
  stackNode[0] = ROOT;
  stackEdge[0] = firstEdge[ROOT]!;
  for (let depth = 1; depth > 0; ) {
    const node = stackNode[depth - 1]!;
    const end = firstEdge[node + 1]!;
    let edge = stackEdge[depth - 1]!;
    while (edge < end && (dfn[edgeTo[edge]!] !== -1 || !essential(edge, node))) edge += 1;
    if (edge === end) {
      depth -= 1;
      continue;
    }
    stackEdge[depth - 1] = edge + 1;
    const next = edgeTo[edge]!;
    dfn[next] = reached;
    vertex[reached] = next;
    parent[reached] = dfn[node]!;
    reached += 1;
    stackNode[depth] = next;
    stackEdge[depth] = firstEdge[next]!;
    depth += 1;
  }

  const preds = predecessors(graph, essential);
  const semi = new Int32Array(reached);
  const label = new Int32Array(reached);
  const ancestor = new Int32Array(reached).fill(-1);
  const idomByNumber = new Int32Array(reached);
  const bucketHead = new Int32Array(reached).fill(-1);
  const bucketNext = new Int32Array(reached);
  const path = stackNode; // free again: reused as the compression stack
  for (let number = 0; number < reached; number += 1) {
    semi[number] = number;
    label[number] = number;
  }

  /** The vertex of least semidominator on the forest path above v (v itself when v is a forest root). */
  const evaluate = (v: number): number => {
    if (ancestor[v] === -1) return v;
    let top = 0;
    for (let x = v; ancestor[ancestor[x]!] !== -1; x = ancestor[x]!) path[top++] = x;
    while (top > 0) {
      const x = path[--top]!;
      const a = ancestor[x]!;
      if (semi[label[a]!]! < semi[label[x]!]!) label[x] = label[a]!;
      ancestor[x] = ancestor[a]!;
    }
    return label[v]!;
  };

  for (let w = reached - 1; w > 0; w -= 1) {
    const node = vertex[w]!;
    for (let i = preds.start[node]!, end = preds.start[node + 1]!; i < end; i += 1) {
      const v = dfn[preds.from[i]!]!;
      if (v === -1) continue;
      const u = evaluate(v);
      if (semi[u]! < semi[w]!) semi[w] = semi[u]!;
    }
    bucketNext[w] = bucketHead[semi[w]!]!;
    bucketHead[semi[w]!] = w;
    const p = parent[w]!;
    ancestor[w] = p;
    for (let v = bucketHead[p]!; v !== -1; v = bucketNext[v]!) {
      const u = evaluate(v);
      idomByNumber[v] = semi[u]! < semi[v]! ? u : p;
    }
    bucketHead[p] = -1;
  }
  for (let w = 1; w < reached; w += 1) if (idomByNumber[w] !== semi[w]) idomByNumber[w] = idomByNumber[idomByNumber[w]!]!;

  const idom = new Int32Array(nodeCount).fill(-1);
  const retained = new Float64Array(nodeCount);
  idom[ROOT] = ROOT;
  for (let w = 0; w < reached; w += 1) {
    const node = vertex[w]!;
    if (w > 0) idom[node] = vertex[idomByNumber[w]!]!;
    retained[node] = selfSize[node]!;
  }
  for (let w = reached - 1; w > 0; w -= 1) retained[vertex[idomByNumber[w]!]!]! += retained[vertex[w]!]!;
  return { order: vertex.slice(0, reached), idom, retained };
}
