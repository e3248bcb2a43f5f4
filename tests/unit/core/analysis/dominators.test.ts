import { describe, expect, it } from 'vitest'
import {
  type DominatorGraph,
  computeDominatorChildren,
  computeDominators,
  computeEssentialEdges,
  computeHeapDominators,
  computeRetainedSizes,
} from '../../../../core/analysis/dominators.js'
import { parseHeapSnapshot } from '../../../../core/import/heap-snapshot.js'
import { sumSelfSizes } from '../../../../core/model/heap.js'
import { drawSnapshot, loadFixture } from '../import/heap-snapshot-fixtures.js'

/** A graph from adjacency lists (plain targets, every edge counting unless `weak` lists it). */
function graphOf(adjacency: number[][], root = 0, weak: Set<string> = new Set()): DominatorGraph {
  const firstEdge = new Uint32Array(adjacency.length + 1)
  const targets: number[] = []
  const essential: number[] = []
  adjacency.forEach((out, v) => {
    firstEdge[v] = targets.length
    for (const w of out) {
      targets.push(w)
      essential.push(weak.has(`${v}>${w}`) ? 0 : 1)
    }
  })
  firstEdge[adjacency.length] = targets.length
  return { nodeCount: adjacency.length, root, firstEdge, targets: Uint32Array.from(targets), essential: Uint8Array.from(essential) }
}

/** Successor lists of the counting edges. */
function successors(g: DominatorGraph): number[][] {
  const out: number[][] = []
  for (let v = 0; v < g.nodeCount; v++) {
    out.push([])
    for (let e = g.firstEdge[v]!; e < g.firstEdge[v + 1]!; e++) if (!g.essential || g.essential[e] === 1) out[v]!.push(g.targets[e]!)
  }
  return out
}

/**
 * The graph the dominators are defined on: counting edges plus a virtual edge from the root to each node
 * the root does not reach, chosen as computeDominators documents (first unreached nodes without counting
 * predecessors, then any unreached node), each start's reach marked before the next is chosen.
 */
function augmented(g: DominatorGraph): number[][] {
  const succ = successors(g).map((s) => [...s])
  const hasPred = new Array<boolean>(g.nodeCount).fill(false)
  succ.forEach((s) => s.forEach((w) => (hasPred[w] = true)))
  const reached = new Array<boolean>(g.nodeCount).fill(false)
  const mark = (start: number): void => {
    const stack = [start]
    reached[start] = true
    while (stack.length) {
      for (const w of succ[stack.pop()!]!) {
        if (reached[w]) continue
        reached[w] = true
        stack.push(w)
      }
    }
  }
  mark(g.root)
  for (const pass of [0, 1]) {
    for (let v = 0; v < g.nodeCount; v++) {
      if (reached[v] || (pass === 0 && hasPred[v])) continue
      succ[g.root]!.push(v)
      mark(v)
    }
  }
  return succ
}

/** Dominators by definition: d dominates v when v is unreachable from the root without d. O(n·(n+m)). */
function bruteForceIdom(g: DominatorGraph): number[] {
  const succ = augmented(g)
  const n = g.nodeCount
  const reachableWithout = (removed: number): boolean[] => {
    const seen = new Array<boolean>(n).fill(false)
    if (removed === g.root) return seen
    const stack = [g.root]
    seen[g.root] = true
    while (stack.length) {
      for (const w of succ[stack.pop()!]!) {
        if (w === removed || seen[w]) continue
        seen[w] = true
        stack.push(w)
      }
    }
    return seen
  }
  const dominators: Set<number>[] = Array.from({ length: n }, (_, v) => new Set([v]))
  for (let d = 0; d < n; d++) {
    const seen = reachableWithout(d)
    for (let v = 0; v < n; v++) if (v !== d && !seen[v]) dominators[v]!.add(d)
  }
  // The immediate dominator is the strict dominator with the most dominators of its own (the closest one).
  return dominators.map((set, v) => {
    if (v === g.root) return v
    let best = -1
    for (const d of set) if (d !== v && (best === -1 || dominators[d]!.size > dominators[best]!.size)) best = d
    return best
  })
}

/**
 * An independent algorithm for large graphs: Cooper, Harvey and Kennedy, "A Simple, Fast Dominance
 * Algorithm" (2001): iterate idom(b) = intersect of the processed predecessors, in reverse postorder.
 */
function cooperHarveyKennedy(g: DominatorGraph): Int32Array {
  const succ = augmented(g)
  const n = g.nodeCount
  const post = new Int32Array(n).fill(-1)
  const order: number[] = []
  const visited = new Uint8Array(n)
  const stack: [number, number][] = [[g.root, 0]]
  visited[g.root] = 1
  while (stack.length) {
    const top = stack[stack.length - 1]!
    const [v, i] = top
    if (i < succ[v]!.length) {
      top[1]++
      const w = succ[v]![i]!
      if (!visited[w]) {
        visited[w] = 1
        stack.push([w, 0])
      }
    } else {
      post[v] = order.length
      order.push(v)
      stack.pop()
    }
  }
  const preds: number[][] = Array.from({ length: n }, () => [])
  succ.forEach((s, v) => s.forEach((w) => preds[w]!.push(v)))
  const idom = new Int32Array(n).fill(-1)
  idom[g.root] = g.root
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (post[a]! < post[b]!) a = idom[a]!
      while (post[b]! < post[a]!) b = idom[b]!
    }
    return a
  }
  for (let changed = true; changed;) {
    changed = false
    for (let k = order.length - 1; k >= 0; k--) {
      const b = order[k]!
      if (b === g.root) continue
      let next = -1
      for (const p of preds[b]!) if (idom[p] !== -1) next = next === -1 ? p : intersect(p, next)
      if (idom[b] !== next) {
        idom[b] = next
        changed = true
      }
    }
  }
  return idom
}

/** A deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('computeDominators', () => {
  it('finds the dominators of the flowgraph in Lengauer and Tarjan (1979), figure 1', () => {
    // R=0 A=1 B=2 C=3 D=4 E=5 F=6 G=7 H=8 I=9 J=10 K=11 L=12
    const adjacency = [[1, 2, 3], [4], [1, 4, 5], [6, 7], [12], [8], [9], [9, 10], [5, 11], [11], [9], [9, 0], [8]]
    const tree = computeDominators(graphOf(adjacency))
    // Expected idoms from the paper: A,B,C,D,E,I,K -> R; F,G -> C; H -> R; J -> G; L -> D.
    expect(Array.from(tree.idom)).toEqual([0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 7, 0, 4])
    expect(tree.order[0]).toBe(0)
    expect(tree.unreachableCount).toBe(0)
  })

  it('hangs nodes held only by weak edges, and unreachable cycles, under the root', () => {
    // 0 -> 1 -> 2; 1 -weak-> 3 -> 4; 5 <-> 6 (a cycle nothing reaches)
    const adjacency = [[1], [2, 3], [], [4], [], [6], [5]]
    const tree = computeDominators(graphOf(adjacency, 0, new Set(['1>3'])))
    expect(Array.from(tree.idom)).toEqual([0, 0, 1, 0, 3, 0, 5])
    expect(tree.unreachableCount).toBe(4)
    expect(new Set(tree.order).size).toBe(7)
  })

  it('agrees with the definition on 300 random graphs, weak edges and unreachable parts included', () => {
    const random = rng(20240601)
    for (let round = 0; round < 300; round++) {
      const n = 1 + Math.floor(random() * 24)
      const density = random() * 3
      const adjacency: number[][] = Array.from({ length: n }, () => [])
      const weak = new Set<string>()
      for (let v = 0; v < n; v++) {
        const degree = Math.floor(random() * density * 2)
        for (let k = 0; k < degree; k++) {
          const w = Math.floor(random() * n)
          adjacency[v]!.push(w)
          if (random() < 0.15) weak.add(`${v}>${w}`)
        }
      }
      const root = Math.floor(random() * n)
      const g = graphOf(adjacency, root, weak)
      const tree = computeDominators(g)
      expect(Array.from(tree.idom), `round ${round}: ${JSON.stringify({ adjacency, root, weak: [...weak] })}`).toEqual(bruteForceIdom(g))
      // Every node appears once in the order, after its immediate dominator.
      const position = new Int32Array(n).fill(-1)
      tree.order.forEach((v, k) => (position[v] = k))
      expect(position.every((p) => p >= 0)).toBe(true)
      for (let v = 0; v < n; v++) if (v !== root) expect(position[tree.idom[v]!]).toBeLessThan(position[v]!)
    }
  })

  it('survives a million-node chain without deep recursion', () => {
    const n = 1_000_000
    const firstEdge = new Uint32Array(n + 1)
    const edges = new Uint32Array(n - 1)
    for (let v = 0; v < n; v++) firstEdge[v] = Math.min(v, n - 1)
    firstEdge[n] = n - 1
    for (let v = 0; v < n - 1; v++) edges[v] = v + 1
    const tree = computeDominators({ nodeCount: n, root: 0, firstEdge, targets: edges })
    expect(tree.idom[n - 1]).toBe(n - 2)
    const retained = computeRetainedSizes(tree, new Uint32Array(n).fill(2))
    expect(retained[0]).toBe(2 * n)
    expect(retained[n - 1]).toBe(2)
  })
})

describe('computeRetainedSizes', () => {
  it('sums each node with everything it dominates', () => {
    const adjacency = [[1, 2], [3], [3, 4], [], [5], []]
    const tree = computeDominators(graphOf(adjacency))
    const self = [0, 10, 20, 30, 40, 50]
    expect(Array.from(computeRetainedSizes(tree, self))).toEqual([150, 10, 110, 30, 90, 50])
    const { first, children } = computeDominatorChildren(tree)
    const childrenOf = (v: number): number[] => Array.from(children.subarray(first[v], first[v + 1])).sort()
    expect(childrenOf(0)).toEqual([1, 2, 3])
    expect(childrenOf(2)).toEqual([4])
  })
})

describe('computeHeapDominators on a real snapshot', () => {
  const snapshot = parseHeapSnapshot(loadFixture('leak-end'))
  const { firstEdge } = snapshot.nodes
  const { tree, retainedSizes } = computeHeapDominators(snapshot)

  it('matches the Cooper–Harvey–Kennedy algorithm over the same retaining edges', () => {
    const g: DominatorGraph = {
      nodeCount: snapshot.nodes.length,
      root: snapshot.meta.rootOrdinal,
      firstEdge,
      targets: snapshot.edges.toNode,
      essential: computeEssentialEdges(snapshot),
    }
    expect(Array.from(tree.idom)).toEqual(Array.from(cooperHarveyKennedy(g)))
  })

  it('gives the root a retained size equal to the sum of all self sizes', () => {
    expect(retainedSizes[snapshot.meta.rootOrdinal]).toBe(sumSelfSizes(snapshot))
    const self = snapshot.nodes.selfSize
    for (let v = 0; v < snapshot.nodes.length; v++) expect(retainedSizes[v]! >= self[v]!).toBe(true)
  })

  it('leaves weak edges, and shortcuts below the root, out of the retaining edges', () => {
    const essential = computeEssentialEdges(snapshot)
    const weak = snapshot.edgeTypes.indexOf('weak')
    const shortcut = snapshot.edgeTypes.indexOf('shortcut')
    let weakEdges = 0
    for (let v = 0; v < snapshot.nodes.length; v++) {
      for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e++) {
        const type = snapshot.edges.type[e]!
        if (type === weak) weakEdges++
        if (type === weak || (type === shortcut && v !== snapshot.meta.rootOrdinal)) expect(essential[e]).toBe(0)
      }
    }
    expect(weakEdges).toBeGreaterThan(0)
  })
})

describe('computeEssentialEdges', () => {
  it('skips the table half of a WeakMap entry and keeps the key half', () => {
    const entry = (i: number): string => `${i} / part of key (Object @9) -> value (Object @11) pair in WeakMap (table @7)`
    const text = drawSnapshot([
      { type: 'synthetic', name: '', id: 1, selfSize: 0, edges: [{ type: 'shortcut', name: 'global', to: 1 }] },
      {
        type: 'object',
        name: 'global',
        id: 3,
        selfSize: 8,
        edges: [
          { type: 'property', name: 'map', to: 2 },
          { type: 'property', name: 'key', to: 3 },
        ],
      },
      { type: 'object', name: 'WeakMap', id: 5, selfSize: 8, edges: [{ type: 'internal', name: 'table', to: 4 }] },
      { type: 'object', name: 'Object', id: 9, selfSize: 8, edges: [{ type: 'internal', name: entry(1), to: 5 }] },
      { type: 'array', name: 'table', id: 7, selfSize: 8, edges: [{ type: 'internal', name: entry(3), to: 5 }] },
      { type: 'object', name: 'Object', id: 11, selfSize: 100 },
    ])
    const snapshot = parseHeapSnapshot(new TextEncoder().encode(text))
    expect(Array.from(computeEssentialEdges(snapshot))).toEqual([1, 1, 1, 1, 1, 0])
    const { tree, retainedSizes } = computeHeapDominators(snapshot)
    expect(tree.idom[5]).toBe(3) // the value is the key's
    expect(retainedSizes[3]).toBe(108)
  })
})
