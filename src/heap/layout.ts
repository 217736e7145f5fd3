import { SoakError } from '../core/errors.js';

/** Where each field sits in V8's flat `nodes` and `edges` arrays, read from the snapshot's own meta. */
export interface SnapshotLayout {
  nodeCount: number;
  edgeCount: number;
  nodeFieldCount: number;
  nodeType: number;
  nodeName: number;
  nodeId: number;
  nodeSelfSize: number;
  nodeEdgeCount: number;
  edgeFieldCount: number;
  edgeType: number;
  edgeName: number;
  edgeTo: number;
  /** Node type names by their number: hidden, array, string, object, code, closure... */
  nodeTypes: string[];
  /** Edge type names by their number: context, element, property, internal, hidden, shortcut, weak. */
  edgeTypes: string[];
}

interface Meta {
  node_fields: string[];
  node_types: [string[], ...unknown[]];
  edge_fields: string[];
  edge_types: [string[], ...unknown[]];
}

function field(fields: string[], name: string, where: string): number {
  const index = fields.indexOf(name);
  if (index === -1) throw new SoakError('io', `heap snapshot: no "${name}" in its ${where}`);
  return index;
}

/** The layout of a snapshot from its header; a header V8 would not write is an error naming what is missing. */
export function layoutOf(snapshot: unknown): SnapshotLayout {
  const header = snapshot as { meta?: Meta; node_count?: number; edge_count?: number } | undefined;
  const meta = header?.meta;
  if (!meta || !Array.isArray(meta.node_fields) || !Array.isArray(meta.edge_fields) || !Array.isArray(meta.node_types?.[0]) || !Array.isArray(meta.edge_types?.[0])) {
    throw new SoakError('io', 'heap snapshot: its header has no node and edge layout (meta)');
  }
  if (!Number.isInteger(header.node_count) || !Number.isInteger(header.edge_count)) throw new SoakError('io', 'heap snapshot: its header has no node_count or edge_count');
  return {
    nodeCount: header.node_count!,
    edgeCount: header.edge_count!,
    nodeFieldCount: meta.node_fields.length,
    nodeType: field(meta.node_fields, 'type', 'node fields'),
    nodeName: field(meta.node_fields, 'name', 'node fields'),
    nodeId: field(meta.node_fields, 'id', 'node fields'),
    nodeSelfSize: field(meta.node_fields, 'self_size', 'node fields'),
    nodeEdgeCount: field(meta.node_fields, 'edge_count', 'node fields'),
    edgeFieldCount: meta.edge_fields.length,
    edgeType: field(meta.edge_fields, 'type', 'edge fields'),
    edgeName: field(meta.edge_fields, 'name_or_index', 'edge fields'),
    edgeTo: field(meta.edge_fields, 'to_node', 'edge fields'),
    nodeTypes: meta.node_types[0],
    edgeTypes: meta.edge_types[0],
  };
}
