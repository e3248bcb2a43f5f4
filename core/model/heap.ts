/**
 * The heap snapshot model: V8's `.heapsnapshot` graph as struct-of-arrays tables of nodes and edges plus
 * the string table (Firefox Profiler's table style), and the small accessors every heap analysis shares.
 * Plain data only, so a snapshot or anything derived from it crosses worker and IPC boundaries by structured clone.
 */
import type { Bytes, NodeIndex } from './units.js'

/** Index of a node in a snapshot (its record number in V8's `nodes` array). */
export type NodeOrdinal = NodeIndex
/** Index of an edge in a snapshot (its record number in V8's `edges` array). */
export type EdgeOrdinal = number
/** The `id` V8 gives a heap object: stable across snapshots of one process, which is what heap diffs match by. */
export type HeapObjectId = number

/** `snapshot.meta` as V8 writes it: field names, and the value list of each enum field. */
export interface HeapSnapshotRawMeta {
  node_fields: string[]
  /** One entry per node field: an array of names for enum fields (`type`), else a type name such as "number". */
  node_types: (string[] | string)[]
  edge_fields: string[]
  edge_types: (string[] | string)[]
  location_fields?: string[]
  trace_function_info_fields?: string[]
  trace_node_fields?: string[]
  sample_fields?: string[]
}

/** Facts from the snapshot header. */
export interface HeapSnapshotMeta {
  raw: HeapSnapshotRawMeta
  /** `snapshot.node_count` as written, or null when the producer left it out. */
  declaredNodeCount: number | null
  /** `snapshot.edge_count` as written, or null when the producer left it out. */
  declaredEdgeCount: number | null
  /** Functions in the allocation-tracking tables (0 unless allocations were tracked). */
  traceFunctionCount: number
  /** Memory outside the V8 heap that the embedder reports (Chrome; absent from Node), in bytes. */
  extraNativeBytes: Bytes
  /** Node ordinal of the synthetic root: `snapshot.root_index` / node field count, 0 when absent (always 0 from V8). */
  rootOrdinal: NodeOrdinal
}

/**
 * The nodes (heap objects and synthetic groupings), one column per V8 node field. V8's `edge_count` is
 * turned into `firstEdge`, the index of each node's first edge.
 */
export interface HeapNodeTable {
  length: number
  /** Index into HeapSnapshot.nodeTypes ("hidden", "array", "string", "object", "code", "closure", ...). */
  type: Uint8Array
  /** String-table index: the constructor name of objects, the text of strings, the category of synthetic nodes. */
  name: Uint32Array
  id: Uint32Array
  /** Size of the object itself, in bytes. */
  selfSize: Uint32Array
  /** length + 1 entries: node i's edges are firstEdge[i] .. firstEdge[i + 1] - 1, and the last entry is the edge count. */
  firstEdge: Uint32Array
  /** V8's `trace_node_id` (the allocation site when allocations were tracked), or null when every value is 0 or the field is absent. */
  traceNodeId: Uint32Array | null
  /** V8's `detachedness` (0 unknown, 1 attached, 2 detached: DOM nodes in Chrome), or null when every value is 0 or the field is absent. */
  detachedness: Uint8Array | null
}

/** The edges (references), one column per V8 edge field, grouped by source node in node order. */
export interface HeapEdgeTable {
  length: number
  /** Index into HeapSnapshot.edgeTypes ("context", "element", "property", "internal", "hidden", "shortcut", "weak"). */
  type: Uint8Array
  /** Element and hidden edges: the index; every other type: a string-table index (V8's "string_or_number"). */
  nameOrIndex: Uint32Array
  /** The target's node ordinal (V8 writes an offset into its flat `nodes` array; the parser divides it). */
  toNode: Uint32Array
}

/** A parsed heap snapshot. */
export interface HeapSnapshot {
  meta: HeapSnapshotMeta
  /** Names of the node types, indexed by nodes.type. */
  nodeTypes: string[]
  /** Names of the edge types, indexed by edges.type. */
  edgeTypes: string[]
  nodes: HeapNodeTable
  edges: HeapEdgeTable
  /** The string table: node names and the names of non-element edges index into it. */
  strings: string[]
  /** Constructor locations as written: `locationFieldCount` values per record (object_index, script_id, line, column). */
  locations: Uint32Array
  locationFieldCount: number
}

/** The sum of all nodes' self sizes, in bytes. */
export function sumSelfSizes(snapshot: HeapSnapshot): Bytes {
  const sizes = snapshot.nodes.selfSize
  let total = 0
  for (let i = 0; i < sizes.length; i++) total += sizes[i] as number
  return total
}

/** A node's name (the constructor name of objects, the text of strings). */
export function getNodeName(snapshot: HeapSnapshot, node: NodeOrdinal): string {
  return snapshot.strings[snapshot.nodes.name[node] as number] ?? ''
}

/** A node's type name ("object", "string", ...). */
export function getNodeTypeName(snapshot: HeapSnapshot, node: NodeOrdinal): string {
  return snapshot.nodeTypes[snapshot.nodes.type[node] as number] ?? '?'
}

/** An edge's type name ("property", "element", ...). */
export function getEdgeTypeName(snapshot: HeapSnapshot, edge: EdgeOrdinal): string {
  return snapshot.edgeTypes[snapshot.edges.type[edge] as number] ?? '?'
}

/** An edge's name as text: the index for element and hidden edges, else the string it names. */
export function getEdgeName(snapshot: HeapSnapshot, edge: EdgeOrdinal): string {
  const value = snapshot.edges.nameOrIndex[edge] as number
  const type = snapshot.edgeTypes[snapshot.edges.type[edge] as number]
  if (type === 'element' || type === 'hidden') return String(value)
  return snapshot.strings[value] ?? String(value)
}
