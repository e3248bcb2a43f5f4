/**
 * The one profile validator: CPU profiles, sampling heap profiles and heap snapshots are checked here,
 * by the importers (core/import), by single-file import and by bundle import (store/bundle.ts) alike.
 * Every check throws a ProfileFormatError whose message says what is wrong and where.
 */
import { breadthFirstOrder } from '../model/call-tree-passes.js'
import type { HeapSnapshot } from '../model/heap.js'
import type { CpuProfileNode, CpuProfileRaw } from './cpuprofile.js'
import type { HeapProfileRaw } from './heap-profile.js'

/** A profile file that cannot be read: the message names the problem (and what to check). */
export class ProfileFormatError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProfileFormatError'
  }
}

/** The checked tree structure: raw node indexes with parents, in breadth-first order from the root. */
export interface CheckedCpuProfile {
  raw: CpuProfileRaw
  indexById: Map<number, number>
  parent: Int32Array
  root: number
  /** Raw node indexes, parents before children. */
  order: Int32Array
}

function describeType(x: unknown): string {
  return x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x
}

const fail = (message: string): never => {
  throw new ProfileFormatError(`CPU profile: ${message}`)
}
const failHeapProfile = (message: string): never => {
  throw new ProfileFormatError(`heap profile: ${message}`)
}
const failSnapshot = (message: string): never => {
  throw new ProfileFormatError(`heap snapshot: ${message}`)
}

/**
 * The checks of one `.cpuprofile` node, shared by the object validator and the streaming importer
 * (core/import/cpuprofile-stream.ts), which passes its own `fail` (it adds the byte offset). Returns the
 * node's id and call frame; uniqueness of ids and the tree are checked by the callers.
 */
export function checkCpuProfileNode(node: unknown, i: number, fail: (message: string) => never): { id: number; node: CpuProfileNode } {
  if (typeof node !== 'object' || node === null) fail(`node #${i} is ${describeType(node)}, not an object`)
  const n = node as Record<string, unknown>
  if (!Number.isInteger(n.id)) fail(`node #${i} has no integer \`id\``)
  const id = n.id as number
  const cf = n.callFrame as Record<string, unknown> | null
  if (typeof cf !== 'object' || cf === null) fail(`node id ${id} has no \`callFrame\` object`)
  const frame = cf as Record<string, unknown>
  if (typeof frame.functionName !== 'string') fail(`node id ${id}: callFrame.functionName must be a string`)
  if (typeof frame.url !== 'string') fail(`node id ${id}: callFrame.url must be a string`)
  if (!Number.isInteger(frame.lineNumber) || !Number.isInteger(frame.columnNumber)) {
    fail(`node id ${id}: callFrame.lineNumber and columnNumber must be integers`)
  }
  if (n.hitCount !== undefined && (!Number.isInteger(n.hitCount) || (n.hitCount as number) < 0)) {
    fail(`node id ${id}: hitCount must be a non-negative integer`)
  }
  if (n.children !== undefined && (!Array.isArray(n.children) || !n.children.every((c) => Number.isInteger(c)))) {
    fail(`node id ${id}: children must be an array of node ids`)
  }
  if (n.parent !== undefined && !Number.isInteger(n.parent)) fail(`node id ${id}: parent must be a node id`)
  return { id, node: node as CpuProfileNode }
}

/**
 * Validates every field of a `.cpuprofile` the importers read: node ids unique integers, call frames
 * complete, children (or parent) ids present, exactly one root, no cycles, samples naming existing nodes,
 * timeDeltas as long as samples. Returns the checked structure the importer builds on; throws a
 * ProfileFormatError naming the first problem.
 */
export function checkCpuProfile(x: unknown): CheckedCpuProfile {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) fail(`expected a JSON object, got ${describeType(x)}`)
  const p = x as Record<string, unknown>
  if (!Array.isArray(p.nodes)) fail('no `nodes` array (is this a .cpuprofile file?)')
  const nodes = p.nodes as unknown[]
  if (nodes.length === 0) fail('the `nodes` array is empty')
  for (const field of ['startTime', 'endTime'] as const) {
    if (typeof p[field] !== 'number' || !Number.isFinite(p[field]))
      fail(`\`${field}\` must be a number (microseconds), got ${describeType(p[field])}`)
  }
  if ((p.endTime as number) < (p.startTime as number)) fail(`endTime (${String(p.endTime)}) is before startTime (${String(p.startTime)})`)

  const indexById = new Map<number, number>()
  for (let i = 0; i < nodes.length; i++) {
    const id = checkCpuProfileNode(nodes[i], i, fail).id
    if (indexById.has(id)) fail(`node id ${id} appears twice (nodes #${indexById.get(id)} and #${i})`)
    indexById.set(id, i)
  }

  const raw = x as CpuProfileRaw
  const parent = new Int32Array(nodes.length).fill(-1)
  const usesChildren = raw.nodes.some((n) => n.children !== undefined)
  for (let i = 0; i < raw.nodes.length; i++) {
    const node = raw.nodes[i] as CpuProfileNode
    if (usesChildren) {
      for (const childId of node.children ?? []) {
        const c = indexById.get(childId)
        if (c === undefined) fail(`node id ${node.id} lists child id ${childId}, which is not in \`nodes\``)
        if (c === i) fail(`node id ${node.id} lists itself as a child`)
        if ((parent[c as number] as number) >= 0) {
          fail(`node id ${childId} is a child of both ${raw.nodes[parent[c as number] as number]?.id} and ${node.id}`)
        }
        parent[c as number] = i
      }
    } else if (node.parent !== undefined) {
      const pi = indexById.get(node.parent)
      if (pi === undefined) fail(`node id ${node.id} has parent id ${node.parent}, which is not in \`nodes\``)
      parent[i] = pi as number
    }
  }
  const { root, order } = rootAndOrder(parent, (i) => (raw.nodes[i] as CpuProfileNode).id)

  if (p.samples !== undefined) {
    if (!Array.isArray(p.samples)) fail(`\`samples\` must be an array of node ids, got ${describeType(p.samples)}`)
    const samples = p.samples as unknown[]
    for (let i = 0; i < samples.length; i++) {
      const id = samples[i]
      if (!Number.isInteger(id)) fail(`sample ${i} is ${JSON.stringify(id)}, not a node id`)
      if (!indexById.has(id as number)) fail(`sample ${i} refers to node id ${String(id)}, which is not in \`nodes\``)
    }
  }
  if (p.timeDeltas !== undefined) {
    if (!Array.isArray(p.timeDeltas)) fail(`\`timeDeltas\` must be an array of numbers, got ${describeType(p.timeDeltas)}`)
    const deltas = p.timeDeltas as unknown[]
    const sampleCount = Array.isArray(p.samples) ? p.samples.length : 0
    if (deltas.length !== sampleCount) {
      fail(`${sampleCount} samples but ${deltas.length} timeDeltas; they must have the same length (is the file truncated?)`)
    }
    for (let i = 0; i < deltas.length; i++) {
      if (typeof deltas[i] !== 'number' || !Number.isFinite(deltas[i]))
        fail(`timeDeltas[${i}] is ${JSON.stringify(deltas[i])}, not a number`)
    }
  }
  return { raw, indexById, parent, root, order }
}

/**
 * The root of a tree given by parent indexes (-1 for none) and a breadth-first order from it; throws when
 * there is not exactly one root or when nodes sit on a cycle. Shared by the object and byte importers.
 */
export function rootAndOrder(parent: Int32Array, idOf: (rawNode: number) => number): { root: number; order: Int32Array } {
  const n = parent.length
  const roots = rootsOf(parent)
  if (roots.length !== 1) {
    fail(
      roots.length === 0
        ? 'no root node (every node has a parent: the tree has a cycle)'
        : `${roots.length} root nodes (ids ${roots
            .slice(0, 5)
            .map((r) => idOf(r))
            .join(', ')}); a profile has exactly one`,
    )
  }
  const root = roots[0] as number

  // Breadth-first order from the root (in WebAssembly, core/model/call-tree-passes.ts); nodes it does not
  // reach sit on a cycle.
  const { order, reached: tail } = breadthFirstOrder(parent, root)
  if (tail !== n) {
    const reached = new Uint8Array(n)
    for (let k = 0; k < tail; k++) reached[order[k] as number] = 1
    const lost = reached.indexOf(0)
    fail(`${n - tail} nodes are not reachable from the root (first: id ${idOf(lost)}); the tree has a cycle`)
  }

  return { root, order }
}

function rootsOf(parent: Int32Array): number[] {
  const roots: number[] = []
  for (let i = 0; i < parent.length; i++) if (parent[i] === -1) roots.push(i)
  return roots
}

/** Validates a parsed `.cpuprofile`; throws a ProfileFormatError naming the problem. */
export function validateCpuProfile(x: unknown): asserts x is CpuProfileRaw {
  checkCpuProfile(x)
}

/**
 * Validates a parsed `.heapprofile` (V8 sampling heap profile): an object `head`, every node with an
 * integer id (unique), a complete call frame, a non-negative selfSize and a children array; samples,
 * when present, objects with a numeric size and an integer nodeId. Walks iteratively (allocation stacks
 * can be thousands of frames deep).
 */
export function validateHeapProfile(x: unknown): asserts x is HeapProfileRaw {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) failHeapProfile(`expected a JSON object, got ${describeType(x)}`)
  const head = (x as Record<string, unknown>).head
  if (typeof head !== 'object' || head === null) failHeapProfile('no `head` node (is this a .heapprofile file?)')
  const seen = new Set<number>()
  const stack: { node: unknown; path: string }[] = [{ node: head, path: 'head' }]
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: unknown; path: string }
    if (typeof node !== 'object' || node === null || Array.isArray(node)) failHeapProfile(`${path} is not an object`)
    const n = node as Record<string, unknown>
    // Old V8 wrote nodes without ids (and no samples, which would need them): allowed, named by path.
    if (n.id !== undefined && !Number.isInteger(n.id)) failHeapProfile(`${path}: \`id\` must be an integer`)
    const id = n.id === undefined ? path : (n.id as number)
    if (typeof id === 'number') {
      if (seen.has(id)) failHeapProfile(`node id ${id} appears twice`)
      seen.add(id)
    }
    const cf = n.callFrame as Record<string, unknown> | null
    if (typeof cf !== 'object' || cf === null) failHeapProfile(`node id ${id} has no \`callFrame\` object`)
    const frame = cf as Record<string, unknown>
    if (typeof frame.functionName !== 'string' || typeof frame.url !== 'string') {
      failHeapProfile(`node id ${id}: callFrame.functionName and url must be strings`)
    }
    if (!Number.isInteger(frame.lineNumber) || !Number.isInteger(frame.columnNumber)) {
      failHeapProfile(`node id ${id}: callFrame.lineNumber and columnNumber must be integers`)
    }
    if (typeof n.selfSize !== 'number' || !Number.isFinite(n.selfSize) || n.selfSize < 0) {
      failHeapProfile(`node id ${id}: selfSize must be a non-negative number of bytes`)
    }
    if (!Array.isArray(n.children)) failHeapProfile(`node id ${id}: children must be an array of nodes`)
    const children = n.children as unknown[]
    for (let c = children.length - 1; c >= 0; c--) stack.push({ node: children[c], path: `child ${c} of node id ${id}` })
  }
  const samples = (x as Record<string, unknown>).samples
  if (samples !== undefined) {
    if (!Array.isArray(samples)) failHeapProfile('`samples` must be an array')
    const list = samples as unknown[]
    for (let i = 0; i < list.length; i++) {
      const s = list[i] as Record<string, unknown> | null
      if (
        typeof s !== 'object' ||
        s === null ||
        typeof s.size !== 'number' ||
        !Number.isFinite(s.size) ||
        s.size < 0 ||
        !Number.isInteger(s.nodeId)
      ) {
        failHeapProfile(`sample ${i} must be an object with a non-negative numeric size and an integer nodeId`)
      }
      // Samples naming nodes outside the tree are allowed: V8 writes them for allocations made while the
      // profile was serialized (seen in Node 20's --heap-prof output); the importer counts them as unmatched.
    }
  }
}

/**
 * Checks a parsed heap snapshot's tables against its header and each other: snapshot.node_count and
 * edge_count agree with the nodes and edges arrays, there is a root inside the nodes, the nodes' edge
 * counts add up to the edges, every node and edge type is one of meta's, every string index is inside
 * the strings table, every edge points at an existing node, and locations come in whole records.
 * (Whether an edge's to_node is a multiple of the node field count, and whether meta is present and its
 * fields known, is checked by the parser as it reads, since the model keeps ordinals, not offsets.)
 * O(nodes + edges). Called by the heap snapshot parser when it finishes.
 */
export function validateHeapSnapshot(snapshot: HeapSnapshot): void {
  const { meta, nodes, edges, strings } = snapshot
  const nodeCount = nodes.length
  const edgeCount = edges.length
  const nodeFieldCount = meta.raw.node_fields.length
  if (meta.declaredNodeCount !== null && meta.declaredNodeCount !== nodeCount)
    failSnapshot(
      `snapshot.node_count is ${meta.declaredNodeCount} but "nodes" holds ${nodeCount} nodes (${nodeCount * nodeFieldCount} values / ${nodeFieldCount} fields)`,
    )
  if (meta.declaredEdgeCount !== null && meta.declaredEdgeCount !== edgeCount)
    failSnapshot(`snapshot.edge_count is ${meta.declaredEdgeCount} but "edges" holds ${edgeCount} edges`)
  if (nodeCount === 0) failSnapshot('the snapshot has no nodes (not even the root)')
  if (meta.rootOrdinal >= nodeCount) failSnapshot('snapshot.root_index points past the last node')
  if (nodes.firstEdge.length !== nodeCount + 1 || nodes.firstEdge[nodeCount] !== edgeCount)
    failSnapshot(`the nodes' edge counts add up to ${nodes.firstEdge[nodeCount]} but "edges" holds ${edgeCount} edges`)
  const stringCount = strings.length
  const nodeTypeCount = snapshot.nodeTypes.length
  for (let i = 0; i < nodeCount; i++) {
    if ((nodes.type[i] as number) >= nodeTypeCount)
      failSnapshot(`node #${i} has type ${nodes.type[i]}, beyond the ${nodeTypeCount} node types`)
    if ((nodes.name[i] as number) >= stringCount)
      failSnapshot(`node #${i} names string ${nodes.name[i]}, beyond the ${stringCount} strings`)
  }
  // Element and hidden edges name an index; the other types name a string.
  const edgeTypeCount = snapshot.edgeTypes.length
  const numberNamed = new Uint8Array(edgeTypeCount)
  snapshot.edgeTypes.forEach((t, k) => {
    if (t === 'element' || t === 'hidden') numberNamed[k] = 1
  })
  for (let e = 0; e < edgeCount; e++) {
    const type = edges.type[e] as number
    if (type >= edgeTypeCount) failSnapshot(`edge #${e} has type ${type}, beyond the ${edgeTypeCount} edge types`)
    if (numberNamed[type] === 0 && (edges.nameOrIndex[e] as number) >= stringCount)
      failSnapshot(`edge #${e} names string ${edges.nameOrIndex[e]}, beyond the ${stringCount} strings`)
    if ((edges.toNode[e] as number) >= nodeCount)
      failSnapshot(`edge #${e} points to node offset ${(edges.toNode[e] as number) * nodeFieldCount}, past the last node`)
  }
  if (snapshot.locationFieldCount > 0 && snapshot.locations.length % snapshot.locationFieldCount !== 0) {
    failSnapshot(
      `"locations" holds ${snapshot.locations.length} values, not a multiple of the ${snapshot.locationFieldCount} location fields`,
    )
  }
}
