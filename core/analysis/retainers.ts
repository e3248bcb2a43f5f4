/**
 * Shortest retaining paths: a breadth-first search from the GC roots records, for every node, the edge it
 * was first reached by, so the path that keeps any object alive reads back in O(path length).
 */
import type { Bytes } from '../model/units.js'
import { type EdgeOrdinal, type HeapObjectId, type HeapSnapshot, type NodeOrdinal, getEdgeName, getEdgeTypeName } from '../model/heap.js'

/**
 * For each node ordinal, the edge ordinal of its retainer on a shortest path, -1 for the root and for
 * nodes no strong path reaches.
 */
export type ShortestRetainers = Int32Array

/**
 * Breadth-first search over non-weak edges, seeded the way DevTools computes distances
 * (HeapSnapshot.ts calculateDistances): first from the root's non-synthetic children (the global objects:
 * the "user roots"), then from the root for everything else, so a path through a global is preferred to
 * a path through VM internals even when it is longer. O(nodes + edges).
 */
export function computeShortestRetainers(snapshot: HeapSnapshot): ShortestRetainers {
  const { nodes, edges } = snapshot
  const { firstEdge } = nodes
  const nodeCount = nodes.length
  const weak = snapshot.edgeTypes.indexOf('weak')
  const synthetic = snapshot.nodeTypes.indexOf('synthetic')
  const root = snapshot.meta.rootOrdinal
  const parentEdge = new Int32Array(nodeCount).fill(-1)
  const seen = new Uint8Array(nodeCount)
  const queue = new Uint32Array(nodeCount)
  seen[root] = 1
  let head = 0
  let tail = 0
  const bfs = (): void => {
    while (head < tail) {
      const v = queue[head++] as number
      for (let e = firstEdge[v] as number, end = firstEdge[v + 1] as number; e < end; e++) {
        if (edges.type[e] === weak) continue
        const w = edges.toNode[e] as number
        if (seen[w] === 1) continue
        seen[w] = 1
        parentEdge[w] = e
        queue[tail++] = w
      }
    }
  }
  for (let e = firstEdge[root] as number, end = firstEdge[root + 1] as number; e < end; e++) {
    const w = edges.toNode[e] as number
    if (seen[w] === 1 || nodes.type[w] === synthetic) continue
    seen[w] = 1
    parentEdge[w] = e
    queue[tail++] = w
  }
  bfs()
  queue[tail++] = root
  bfs()
  return parentEdge
}

/** The node an edge comes from: binary search of the first-edge index. O(log nodes). */
export function getEdgeSource(firstEdge: Uint32Array, edge: EdgeOrdinal): NodeOrdinal {
  // The last node v with firstEdge[v] <= edge; nodes without edges share their successor's start, so
  // take the last of equal starts, which is the one that owns the edge.
  let lo = 0
  let hi = firstEdge.length - 2
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1
    if ((firstEdge[mid] as number) <= edge) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** One hop of a retaining path: the edge from the previous node, and the node it reaches. */
export interface RetainerStep {
  /** Edge type: "property", "element", "context", "internal", "hidden", "shortcut" (never "weak"). */
  edgeType: string
  /** Property or variable name, or the element index as text. */
  edgeName: string
  nodeId: HeapObjectId
  /** The node's class, as in the class histogram. */
  className: string
  selfSizeBytes: Bytes
}

/** The shortest path that keeps one object alive, from a GC root (a global object when one reaches it) down to the object. */
export interface RetainerPath {
  /** The node the path starts from (a global object, or a GC root category such as "(Handle scope)"). */
  from: { nodeId: HeapObjectId; className: string }
  /** The hops, the last one reaching the retained object. Empty when the object is a root itself. */
  steps: RetainerStep[]
  /** False when no strong path reaches the object (it hangs from weak references only). */
  reachable: boolean
}

/** Reads the shortest retaining path of `node` back from the breadth-first search result. */
export function getRetainerPath(
  snapshot: HeapSnapshot,
  retainers: ShortestRetainers,
  node: NodeOrdinal,
  classNameOf: (node: NodeOrdinal) => string,
): RetainerPath {
  const steps: RetainerStep[] = []
  const root = snapshot.meta.rootOrdinal
  let v = node
  let reachedRoot = v === root
  // A path can only be as long as the node count; the bound guards against a corrupt retainer array.
  for (let guard = 0; guard < snapshot.nodes.length && !reachedRoot; guard++) {
    const e = retainers[v] as number
    if (e < 0) break
    const source = getEdgeSource(snapshot.nodes.firstEdge, e)
    if (source === root) {
      reachedRoot = true
      break
    }
    steps.push({
      edgeType: getEdgeTypeName(snapshot, e),
      edgeName: getEdgeName(snapshot, e),
      nodeId: snapshot.nodes.id[v] as number,
      className: classNameOf(v),
      selfSizeBytes: snapshot.nodes.selfSize[v] as number,
    })
    v = source
  }
  steps.reverse()
  return { from: { nodeId: snapshot.nodes.id[v] as number, className: classNameOf(v) }, steps, reachable: reachedRoot }
}

/**
 * A path as one line, root side first, in the style of DevTools' Retainers view:
 * `global .cache → Map @12 (internal) table → (object elements) @34 [7] → LeakyThing @56`.
 */
export function formatRetainerPath(path: RetainerPath): string {
  const parts = [`${path.from.className} @${path.from.nodeId}`]
  for (const step of path.steps) parts.push(`${describeEdge(step.edgeType, step.edgeName)} → ${step.className} @${step.nodeId}`)
  const text = parts.join(' ')
  return path.reachable ? text : `${text} (only weakly reachable)`
}

function describeEdge(type: string, name: string): string {
  switch (type) {
    case 'property':
      return `.${name}`
    case 'element':
      return `[${name}]`
    case 'context':
      return `(context) ${name}`
    default:
      return `(${type}) ${name}`
  }
}
