/**
 * Dominator trees and retained sizes over heap graphs held in typed arrays: the Lengauer–Tarjan algorithm
 * on any graph, and the heap-specific choice of which edges retain (Chrome DevTools' "essential edges").
 */
import type { HeapSnapshot, NodeOrdinal } from '../model/heap.js'

/**
 * A directed graph in compressed sparse rows: node v's out-edges are the edge ordinals
 * firstEdge[v] .. firstEdge[v + 1] - 1, and edge e points to node targets[e].
 */
export interface DominatorGraph {
  nodeCount: number
  root: NodeOrdinal
  firstEdge: Uint32Array
  targets: Uint32Array
  /** 1 for edges that count (can retain); every edge counts when absent. */
  essential?: Uint8Array
}

/** A dominator tree. Nodes unreachable from the root are hung under the root, as DevTools does. */
export interface DominatorTree {
  /** Immediate dominator of each node ordinal; the root's is the root itself. */
  idom: Uint32Array
  /**
   * Every node in the depth-first order the algorithm numbered them (the root first). A node's
   * immediate dominator always comes before it, so one backward pass accumulates subtree sums.
   */
  order: Uint32Array
  /** Nodes the depth-first search from the root did not reach through counting edges. */
  unreachableCount: number
}

/**
 * Immediate dominators by the Lengauer–Tarjan algorithm, "simple" version (path compression without
 * balancing, O(m log n)): T. Lengauer and R. E. Tarjan, "A fast algorithm for finding dominators in a
 * flowgraph", ACM TOPLAS 1(1), 1979, https://doi.org/10.1145/357062.357071. DevTools (HeapSnapshot.ts)
 * uses the same algorithm; this version keeps the buckets as linked lists in typed arrays instead of Sets,
 * and shares arrays between steps, so seven arrays of nodeCount words, the predecessor lists and one flag per
 * node are all it allocates.
 *
 * Nodes the root cannot reach are hung under the root, much as DevTools does: first each unreached node
 * with no counting predecessor (only weak retainers), then any node still unreached (cycles retained only by
 * each other), each becoming the start of a further depth-first search with a virtual edge from the root.
 * The result is the exact dominator tree of the graph plus those virtual edges. (DevTools numbers the second
 * group one node at a time without searching from them, which is not a depth-first numbering; searching
 * keeps Lengauer–Tarjan's precondition.)
 */
export function computeDominators(graph: DominatorGraph): DominatorTree {
  const { nodeCount: n, root, firstEdge, targets, essential } = graph
  if (!(root >= 0 && root < n)) throw new Error(`root ${root} is not a node of a ${n}-node graph`)
  const { firstPred, predNode } = computePredecessors(graph)

  // semi[v] holds v's depth-first number (1-based; 0 = not reached yet) until the main loop turns it into
  // the number of v's semidominator. vertex[k] is the node numbered k; parent[] is the search tree.
  const semi = new Int32Array(n)
  const vertex = new Uint32Array(n + 1) // vertex[1..n] becomes the returned order, without a copy
  // The search tree's parents; the main loop overwrites each node's entry with its immediate dominator once
  // the node itself has been processed (its parent is never read again), so one array serves both.
  const parent = new Uint32Array(n)
  const label = new Int32Array(n)
  const ancestor = new Int32Array(n).fill(-1)
  const cursor = new Uint32Array(n) // next out-edge to look at during the search; bucket links afterwards
  const virtualStart = new Uint8Array(n) // 1 for search starts hung under the root by a virtual edge
  let count = 0

  // Iterative depth-first search: backs up through parent[] instead of keeping a stack.
  const search = (start: number): void => {
    cursor[start] = firstEdge[start] as number
    let v = start
    for (;;) {
      if (semi[v] === 0) {
        semi[v] = ++count
        vertex[count] = v
        label[v] = v
      }
      let next = -1
      const end = firstEdge[v + 1] as number
      let e = cursor[v] as number
      for (; e < end; e++) {
        if (essential !== undefined && essential[e] === 0) continue
        const w = targets[e] as number
        if (semi[w] === 0) {
          parent[w] = v
          cursor[w] = firstEdge[w] as number
          next = w
          break
        }
      }
      cursor[v] = e
      if (next !== -1) v = next
      else if (v === start) return
      else v = parent[v] as number
    }
  }

  parent[root] = root
  search(root)
  const reachedFromRoot = count
  for (let pass = 0; pass < 2 && count < n; pass++) {
    for (let v = 0; v < n; v++) {
      if (semi[v] !== 0) continue
      if (pass === 0 && (firstPred[v + 1] as number) > (firstPred[v] as number)) continue
      parent[v] = root
      virtualStart[v] = 1
      search(v)
    }
  }

  // eval() with path compression (the paper's simple version), the compression done with an explicit stack.
  // Compressed paths are short in practice, so the stack starts small and grows when a path is long.
  let stack = new Int32Array(1024)
  const evaluate = (v0: number): number => {
    if (ancestor[v0] === -1) return v0
    let v = v0
    let top = 0
    while (ancestor[ancestor[v] as number] !== -1) {
      if (top === stack.length) {
        const grown = new Int32Array(Math.min(n, stack.length * 4))
        grown.set(stack)
        stack = grown
      }
      stack[top++] = v
      v = ancestor[v] as number
    }
    while (top > 0) {
      const w = stack[--top] as number
      const a = ancestor[w] as number
      if ((semi[label[a] as number] as number) < (semi[label[w] as number] as number)) label[w] = label[a] as number
      ancestor[w] = ancestor[a] as number
    }
    return label[v0] as number
  }

  const idom = parent
  const bucketHead = new Int32Array(n).fill(-1)
  const bucketNext = new Int32Array(cursor.buffer, cursor.byteOffset, n) // the search is over: its memory now links the buckets
  const rootSemi = semi[root] as number
  for (let k = count; k >= 2; k--) {
    const w = vertex[k] as number
    for (let p = firstPred[w] as number, end = firstPred[w + 1] as number; p < end; p++) {
      const u = evaluate(predNode[p] as number)
      if ((semi[u] as number) < (semi[w] as number)) semi[w] = semi[u] as number
    }
    // The virtual edge from the root: the root's number is the smallest of all.
    if (virtualStart[w] === 1) semi[w] = rootSemi
    const s = vertex[semi[w] as number] as number
    bucketNext[w] = bucketHead[s] as number
    bucketHead[s] = w
    const pw = parent[w] as number
    ancestor[w] = pw
    for (let v = bucketHead[pw] as number; v !== -1; v = bucketNext[v] as number) {
      const u = evaluate(v)
      idom[v] = (semi[u] as number) < (semi[v] as number) ? u : pw
    }
    bucketHead[pw] = -1
  }
  idom[root] = root
  for (let k = 2; k <= count; k++) {
    const w = vertex[k] as number
    if (idom[w] !== vertex[semi[w] as number]) idom[w] = idom[idom[w] as number] as number
  }
  return { idom, order: vertex.subarray(1), unreachableCount: n - reachedFromRoot }
}

/** Predecessor lists of the counting edges, in compressed sparse rows (node ordinals). */
export function computePredecessors(graph: DominatorGraph): { firstPred: Uint32Array; predNode: Uint32Array } {
  const { nodeCount: n, firstEdge, targets, essential } = graph
  const firstPred = new Uint32Array(n + 1)
  const edgeCount = firstEdge[n] as number
  for (let e = 0; e < edgeCount; e++) {
    if (essential && essential[e] === 0) continue
    firstPred[(targets[e] as number) + 1]! += 1
  }
  for (let v = 0; v < n; v++) firstPred[v + 1] = (firstPred[v + 1] as number) + (firstPred[v] as number)
  const predNode = new Uint32Array(firstPred[n] as number)
  // Shift the starts up by one slot and fill with firstPred[w + 1] as w's cursor: it ends at w's end, which
  // is w + 1's start, so the array is right when the fill is done, without a second array of cursors.
  for (let w = n; w > 0; w--) firstPred[w] = firstPred[w - 1] as number
  for (let v = 0; v < n; v++) {
    for (let e = firstEdge[v] as number, end = firstEdge[v + 1] as number; e < end; e++) {
      if (essential && essential[e] === 0) continue
      const w = targets[e] as number
      predNode[firstPred[w + 1]!++] = v
    }
  }
  return { firstPred, predNode }
}

/**
 * Retained size of every node: its self size plus the self sizes of all nodes it dominates, in bytes
 * (Float64: a heap's total can pass 4 GB). One backward pass over the depth-first order.
 */
export function computeRetainedSizes(tree: DominatorTree, selfSizes: ArrayLike<number>): Float64Array {
  const n = tree.order.length
  const retained = new Float64Array(n)
  for (let v = 0; v < n; v++) retained[v] = selfSizes[v] as number
  for (let k = n - 1; k >= 1; k--) {
    const v = tree.order[k] as number
    const d = tree.idom[v] as number
    retained[d] = (retained[d] as number) + (retained[v] as number)
  }
  return retained
}

/** The dominator tree's children lists in compressed sparse rows: node v's children are children[first[v] .. first[v+1]). */
export function computeDominatorChildren(tree: DominatorTree): { first: Uint32Array; children: Uint32Array } {
  const n = tree.idom.length
  const root = tree.order[0] as number
  const first = new Uint32Array(n + 1)
  for (let v = 0; v < n; v++) if (v !== root) first[(tree.idom[v] as number) + 1]! += 1
  for (let v = 0; v < n; v++) first[v + 1] = (first[v + 1] as number) + (first[v] as number)
  const children = new Uint32Array(Math.max(0, n - 1))
  const fill = first.slice(0, n)
  // Filling in depth-first order keeps each child list in the order the search met the children.
  for (let k = 1; k < n; k++) {
    const v = tree.order[k] as number
    children[fill[tree.idom[v] as number]!++] = v
  }
  return { first, children }
}

/**
 * Which edges of a heap snapshot can retain, by Chrome DevTools' rule (HeapSnapshot.ts,
 * computeIsEssentialEdge): not weak edges; not self edges; not shortcut edges except those from the root
 * (which mark the global objects); not edges from an object outside the page into an object the page owns
 * (what the page's globals reach, so objects the debugger or the embedder also holds keep dominators inside
 * the page); and not the table half of a WeakMap entry (the key half is kept, as DevTools does).
 * One byte per edge: 1 when it retains.
 */
export function computeEssentialEdges(snapshot: HeapSnapshot): Uint8Array {
  const { nodes, edges, strings, edgeTypes } = snapshot
  const { firstEdge } = nodes
  const weak = edgeTypes.indexOf('weak')
  const shortcut = edgeTypes.indexOf('shortcut')
  const internal = edgeTypes.indexOf('internal')
  const root = snapshot.meta.rootOrdinal
  const pageOwned = markPageOwned(snapshot)

  // WeakMap entries are written as two internal edges named "<i> / part of key (...) -> value (...) pair in
  // WeakMap (table @<id>)": one from the key, one from the table. The name is parsed once per string.
  const tableIdOfName = new Map<number, number>()
  const weakMapName = /^\d+ \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(\d+)\)$/
  const tableIdOf = (name: number): number => {
    let id = tableIdOfName.get(name)
    if (id === undefined) {
      const m = weakMapName.exec(strings[name] ?? '')
      id = m ? Number(m[1]) : -1
      tableIdOfName.set(name, id)
    }
    return id
  }

  const essential = new Uint8Array(edges.length)
  for (let v = 0; v < nodes.length; v++) {
    const vOwned = pageOwned[v] as number
    for (let e = firstEdge[v] as number, end = firstEdge[v + 1] as number; e < end; e++) {
      const type = edges.type[e] as number
      if (type === weak) continue
      const w = edges.toNode[e] as number
      if (w === v) continue
      if (v !== root) {
        if (type === shortcut) continue
        if (pageOwned[w] === 1 && vOwned === 0) continue
      }
      if (type === internal && tableIdOf(edges.nameOrIndex[e] as number) === nodes.id[v]) continue
      essential[e] = 1
    }
  }
  return essential
}

/**
 * DevTools' "page object" flag (markPageOwnedNodes): everything reachable without weak edges from the
 * root's shortcut edges (the global objects) and from "(Document DOM trees)".
 */
function markPageOwned(snapshot: HeapSnapshot): Uint8Array {
  const { nodes, edges, strings } = snapshot
  const { firstEdge } = nodes
  const weak = snapshot.edgeTypes.indexOf('weak')
  const shortcut = snapshot.edgeTypes.indexOf('shortcut')
  const element = snapshot.edgeTypes.indexOf('element')
  const synthetic = snapshot.nodeTypes.indexOf('synthetic')
  const root = snapshot.meta.rootOrdinal
  const owned = new Uint8Array(nodes.length)
  const stack = new Uint32Array(nodes.length)
  let top = 0
  for (let e = firstEdge[root] as number, end = firstEdge[root + 1] as number; e < end; e++) {
    const type = edges.type[e] as number
    const w = edges.toNode[e] as number
    if (type === element) {
      if (nodes.type[w] !== synthetic || strings[nodes.name[w] as number] !== '(Document DOM trees)') continue
    } else if (type !== shortcut) continue
    if (owned[w] === 1) continue
    owned[w] = 1
    stack[top++] = w
  }
  while (top > 0) {
    const v = stack[--top] as number
    for (let e = firstEdge[v] as number, end = firstEdge[v + 1] as number; e < end; e++) {
      if (edges.type[e] === weak) continue
      const w = edges.toNode[e] as number
      if (owned[w] === 1) continue
      owned[w] = 1
      stack[top++] = w
    }
  }
  return owned
}

/** A heap snapshot's dominator tree and retained sizes. */
export interface HeapDominators {
  tree: DominatorTree
  /** Retained size per node ordinal, in bytes. */
  retainedSizes: Float64Array
}

/** Dominators and retained sizes of a heap snapshot, over its essential edges (see computeEssentialEdges). */
export function computeHeapDominators(snapshot: HeapSnapshot, essential: Uint8Array = computeEssentialEdges(snapshot)): HeapDominators {
  const tree = computeDominators({
    nodeCount: snapshot.nodes.length,
    root: snapshot.meta.rootOrdinal,
    firstEdge: snapshot.nodes.firstEdge,
    targets: snapshot.edges.toNode,
    essential,
  })
  return { tree, retainedSizes: computeRetainedSizes(tree, snapshot.nodes.selfSize) }
}
