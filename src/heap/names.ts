import type { HeapGraph } from './graph.js';
import type { PathStep } from './paths.js';

/** Node types whose objects a program allocates; the rest (code, maps, backing stores, roots) are V8's own. */
const allocatedTypes: Record<string, string | undefined> = {
  object: '',
  closure: '(closure)',
  string: '(string)',
  'concatenated string': '(string)',
  'sliced string': '(string)',
  number: '(number)',
  regexp: '(regexp)',
  symbol: '(symbol)',
  bigint: '(bigint)',
  native: '',
};

/** Names V8 and Node give their own objects, whatever the node type ("system / Context"). */
const internalName = /^system \/ /;
/** The memory of an ArrayBuffer (a Buffer's bytes), outside the JS heap: a native node of this name. */
const BACKING_STORE = 'system / JSArrayBufferData';

/** A plain object is named by the first few properties it holds objects in, as DevTools does: `Object {body, tags}`. */
const SHAPE_PROPERTIES = 6;

const STRING_PREVIEW = 40;

/**
 * Names for the nodes of one snapshot, from the few strings read back for them: the type an object
 * is counted under (its constructor, or the node type for strings and closures) and the labels of a
 * retainer path. typeStrings and pathStrings list the string indexes to read for them first.
 */
export class HeapNames {
  private readonly property: number;
  private readonly proto: Set<number> = new Set();
  private readonly elementLike: Set<number>;

  constructor(
    private readonly graph: HeapGraph,
    private readonly strings: ReadonlyMap<number, string> = new Map(),
  ) {
    this.property = graph.edgeTypes.indexOf('property');
    this.elementLike = new Set([graph.edgeTypes.indexOf('element'), graph.edgeTypes.indexOf('hidden')]);
    for (const [index, text] of strings) if (text === '__proto__') this.proto.add(index);
  }

  withStrings(strings: ReadonlyMap<number, string>): HeapNames {
    return new HeapNames(this.graph, new Map([...this.strings, ...strings]));
  }

  /** String indexes typeOf needs for this node: its name and, for objects, its property names. */
  typeStrings(node: number, into: Set<number>): void {
    const kind = allocatedTypes[this.graph.nodeTypes[this.graph.nodeType[node]!]!];
    if (kind !== '') return;
    into.add(this.graph.nodeName[node]!);
    if (this.graph.nodeTypes[this.graph.nodeType[node]!] !== 'object') return;
    const { firstEdge, edgeType, edgeName } = this.graph;
    for (let edge = firstEdge[node]!, end = firstEdge[node + 1]!; edge < end; edge += 1) if (edgeType[edge] === this.property) into.add(edgeName[edge]!);
  }

  /** The type a node counts under, or undefined for V8's own objects (which are never named as leaking). */
  typeOf(node: number): string | undefined {
    const kind = allocatedTypes[this.graph.nodeTypes[this.graph.nodeType[node]!]!];
    if (kind === undefined) return undefined;
    if (kind !== '') return kind;
    const name = this.strings.get(this.graph.nodeName[node]!) ?? '';
    if (internalName.test(name)) return undefined;
    if (name !== 'Object') return name || '(anonymous)';
    const properties = this.propertyNames(node);
    if (properties.length === 0) return 'Object';
    const shown = properties.slice(0, SHAPE_PROPERTIES).join(', ');
    return `Object {${shown}${properties.length > SHAPE_PROPERTIES ? ', …' : ''}}`;
  }

  /** Whether the node is an ArrayBuffer's backing store (its name must have been read: typeStrings reads it for fresh nodes). */
  isBackingStore(node: number): boolean {
    return this.graph.nodeTypes[this.graph.nodeType[node]!] === 'native' && this.strings.get(this.graph.nodeName[node]!) === BACKING_STORE;
  }

  /** String indexes the labels of these paths need. */
  pathStrings(paths: readonly (PathStep | undefined)[][], into: Set<number>): void {
    const { nodeName, nodeType, nodeTypes, edgeType, edgeName } = this.graph;
    for (const path of paths) {
      for (const step of path) {
        if (!step) continue;
        if (!this.elementLike.has(edgeType[step.edge]!)) into.add(edgeName[step.edge]!);
        if (nodeTypes[nodeType[step.node]!] !== 'number') into.add(nodeName[step.node]!);
      }
    }
  }

  /**
   * A path as text, root first: each holder with the edge that leads on (`system / Context @12 .cache`,
   * `(object elements) @40 [7]`), ending with the object itself named as its type.
   */
  pathText(path: readonly (PathStep | undefined)[], type: string): string[] {
    return path.map((step, i) => {
      if (!step) return '…';
      if (i === path.length - 1) return `${type} @${this.graph.nodeId[step.node]}`;
      const next = path[i + 1];
      return next ? `${this.label(step.node)} ${this.edgeLabel(next.edge)}` : this.label(step.node);
    });
  }

  private label(node: number): string {
    const { nodeTypes, nodeType, nodeName, nodeId } = this.graph;
    const type = nodeTypes[nodeType[node]!]!;
    const name = this.strings.get(nodeName[node]!) ?? '';
    // Synthetic roots have ids too, but no object behind them to look up in DevTools.
    const id = type === 'synthetic' ? '' : ` @${nodeId[node]}`;
    if (type === 'closure') return `${name || '(anonymous)'}()${id}`;
    if (type === 'number') return `(number)${id}`;
    if (type.endsWith('string')) return `"${name.length > STRING_PREVIEW ? `${name.slice(0, STRING_PREVIEW)}…` : name}"${id}`;
    return `${name || `(${type})`}${id}`;
  }

  private edgeLabel(edge: number): string {
    const type = this.graph.edgeType[edge]!;
    const name = this.graph.edgeName[edge]!;
    return this.elementLike.has(type) ? `[${name}]` : `.${this.strings.get(name) ?? '?'}`;
  }

  private propertyNames(node: number): string[] {
    const { firstEdge, edgeType, edgeName } = this.graph;
    const names: string[] = [];
    for (let edge = firstEdge[node]!, end = firstEdge[node + 1]!; edge < end; edge += 1) {
      if (edgeType[edge] !== this.property || this.proto.has(edgeName[edge]!)) continue;
      names.push(this.strings.get(edgeName[edge]!) ?? '?');
    }
    return names;
  }
}
