import { essentialEdges, ROOT } from './dominators.js';
import type { HeapGraph } from './graph.js';

/** One hop of a retainer path: `edge` of the node before leads to `node` (the first hop's edge leaves the root). */
export interface PathStep {
  node: number;
  edge: number;
}

/** Longest path shown whole; longer ones (a linked list) keep their start and their end. */
const MAX_STEPS = 24;
const HEAD_STEPS = 6;

/**
 * Shortest retainer paths from the root, over the edges that keep objects alive (no weak ones):
 * one breadth-first search gives every reachable node the edge it was first reached by.
 */
export class RetainerPaths {
  private readonly via: Int32Array;
  private readonly from: Int32Array;

  constructor(graph: HeapGraph) {
    const { nodeCount, firstEdge, edgeTo } = graph;
    const essential = essentialEdges(graph);
    this.via = new Int32Array(nodeCount).fill(-1);
    this.from = new Int32Array(nodeCount).fill(-1);
    const queue = new Uint32Array(nodeCount);
    const seen = new Uint8Array(nodeCount);
    seen[ROOT] = 1;
    let head = 0;
    let tail = 0;
    queue[tail++] = ROOT;
    while (head < tail) {
      const node = queue[head++]!;
      for (let edge = firstEdge[node]!, end = firstEdge[node + 1]!; edge < end; edge += 1) {
        const next = edgeTo[edge]!;
        if (seen[next] || !essential(edge, node)) continue;
        seen[next] = 1;
        this.via[next] = edge;
        this.from[next] = node;
        queue[tail++] = next;
      }
    }
  }

  /** From the root's child (the synthetic root says nothing) to the node; `undefined` marks hops left out of a very long path. */
  pathTo(node: number): (PathStep | undefined)[] {
    const steps: PathStep[] = [];
    for (let at = node; at !== -1 && at !== ROOT; at = this.from[at]!) steps.push({ node: at, edge: this.via[at]! });
    steps.reverse();
    if (steps.length <= MAX_STEPS) return steps;
    return [...steps.slice(0, HEAD_STEPS), undefined, ...steps.slice(steps.length - (MAX_STEPS - HEAD_STEPS))];
  }
}
