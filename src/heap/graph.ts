import { SoakError } from '../core/errors.js';
import type { SnapshotLayout } from './layout.js';
import type { NumberSink } from './scanner.js';

/**
 * One heap snapshot as columns of typed arrays: a node or an edge is an index, never an object, so a
 * heap of millions of objects costs tens of bytes each. Names are indexes into the snapshot's
 * strings, which stay on disk until a report needs a few of them (see strings.ts).
 */
export interface HeapGraph {
  nodeCount: number;
  edgeCount: number;
  nodeType: Uint8Array;
  nodeName: Uint32Array;
  nodeId: Uint32Array;
  /** Float64: an ArrayBuffer's backing store may pass 4 GB. */
  selfSize: Float64Array;
  /** Node n's edges are firstEdge[n] .. firstEdge[n + 1] - 1. */
  firstEdge: Uint32Array;
  edgeType: Uint8Array;
  /** A string index, or the element / hidden index for those edge types. */
  edgeName: Uint32Array;
  /** The node the edge points to, as a node index (not V8's offset into the nodes array). */
  edgeTo: Uint32Array;
  nodeTypes: readonly string[];
  edgeTypes: readonly string[];
  /** Offset of the strings array in the file, where names are read from. */
  stringsOffset: number;
}

/** Fills the node columns from the flat `nodes` array, one field at a time. */
export class NodeColumns implements NumberSink {
  readonly nodeType: Uint8Array;
  readonly nodeName: Uint32Array;
  readonly nodeId: Uint32Array;
  readonly selfSize: Float64Array;
  readonly firstEdge: Uint32Array;
  private field = 0;
  private node = 0;
  private edges = 0;

  constructor(private readonly layout: SnapshotLayout) {
    const count = layout.nodeCount;
    this.nodeType = new Uint8Array(count);
    this.nodeName = new Uint32Array(count);
    this.nodeId = new Uint32Array(count);
    this.selfSize = new Float64Array(count);
    this.firstEdge = new Uint32Array(count + 1);
  }

  push(value: number): void {
    const layout = this.layout;
    const node = this.node;
    if (node === this.nodeType.length) throw new SoakError('io', 'heap snapshot: more nodes than its header says');
    const field = this.field;
    if (field === layout.nodeType) this.nodeType[node] = value;
    else if (field === layout.nodeName) this.nodeName[node] = value;
    else if (field === layout.nodeId) this.nodeId[node] = value;
    else if (field === layout.nodeSelfSize) this.selfSize[node] = value;
    else if (field === layout.nodeEdgeCount) {
      this.firstEdge[node] = this.edges;
      this.edges += value;
    }
    if (field + 1 === layout.nodeFieldCount) {
      this.field = 0;
      this.node = node + 1;
    } else {
      this.field = field + 1;
    }
  }

  /** Checks the counts against the header once the array has ended. */
  finish(): void {
    if (this.node !== this.nodeType.length || this.field !== 0) throw new SoakError('io', `heap snapshot: ${this.node} nodes where its header says ${this.nodeType.length}`);
    if (this.edges !== this.layout.edgeCount) throw new SoakError('io', `heap snapshot: its nodes own ${this.edges} edges where its header says ${this.layout.edgeCount}`);
    this.firstEdge[this.node] = this.edges;
  }
}

/** Fills the edge columns from the flat `edges` array. */
export class EdgeColumns implements NumberSink {
  readonly edgeType: Uint8Array;
  readonly edgeName: Uint32Array;
  readonly edgeTo: Uint32Array;
  private field = 0;
  private edge = 0;

  constructor(private readonly layout: SnapshotLayout) {
    this.edgeType = new Uint8Array(layout.edgeCount);
    this.edgeName = new Uint32Array(layout.edgeCount);
    this.edgeTo = new Uint32Array(layout.edgeCount);
  }

  push(value: number): void {
    const layout = this.layout;
    const edge = this.edge;
    if (edge === this.edgeType.length) throw new SoakError('io', 'heap snapshot: more edges than its header says');
    const field = this.field;
    if (field === layout.edgeType) this.edgeType[edge] = value;
    else if (field === layout.edgeName) this.edgeName[edge] = value;
    else if (field === layout.edgeTo) {
      const to = value / layout.nodeFieldCount;
      if (!Number.isInteger(to) || to >= layout.nodeCount) throw new SoakError('io', `heap snapshot: edge ${edge} points to ${value}, not to a node`);
      this.edgeTo[edge] = to;
    }
    if (field + 1 === layout.edgeFieldCount) {
      this.field = 0;
      this.edge = edge + 1;
    } else {
      this.field = field + 1;
    }
  }

  get complete(): boolean {
    return this.edge === this.edgeType.length;
  }

  finish(): void {
    if (!this.complete || this.field !== 0) throw new SoakError('io', `heap snapshot: ${this.edge} edges where its header says ${this.edgeType.length}`);
  }
}
