/**
 * Call tree transforms that return new trees (Firefox Profiler's transform stack, as pure functions):
 * focus on a function, merge a function into its callers, collapse recursion, drop idle or a function.
 * Function indexes stay the same across transforms, so a selection survives them.
 */
import { type CallTree, type CallTreeBuilder, type FunctionIndex, createCallTreeBuilder, finishCallTree } from '../model/call-tree.js'
import type { NodeIndex } from '../model/units.js'

/**
 * Decides where old node `i` goes in the new tree, given where its parent went (-1 when the parent was
 * dropped). Returns a builder node, or -1 to drop the node's own value (its children are still visited).
 */
export type PlaceNode = (i: NodeIndex, mappedParent: number, builder: CallTreeBuilder) => number

/** Rebuilds a tree node by node in pre-order; values and timeline samples follow their nodes. */
export function rebuildTree(tree: CallTree, rootFunc: FunctionIndex, place: PlaceNode): CallTree {
  const { nodes } = tree
  const builder = createCallTreeBuilder(rootFunc)
  const mapped = new Int32Array(nodes.length)
  for (let i = 0; i < nodes.length; i++) {
    const p = nodes.parent[i] as number
    mapped[i] = place(i, p < 0 ? -1 : (mapped[p] as number), builder)
  }
  for (let i = 0; i < nodes.length; i++) {
    const m = mapped[i] as number
    if (m >= 0 && ((nodes.self[i] as number) !== 0 || (nodes.selfSamples[i] as number) !== 0)) {
      builder.addSelf(m, nodes.self[i] as number, nodes.selfSamples[i] as number)
    }
  }
  const timeline = tree.timeline
    ? {
        node: Int32Array.from(tree.timeline.node, (node) => mapped[node] as number),
        startMs: tree.timeline.startMs,
        durationMs: tree.timeline.durationMs,
      }
    : undefined
  return finishCallTree(builder, tree.functions, { unit: tree.unit, meta: tree.meta, ...(timeline ? { timeline } : {}) })
}

/** The default placement: the same function under the mapped parent; dropped with its parent. */
function keep(tree: CallTree, i: NodeIndex, mappedParent: number, builder: CallTreeBuilder): number {
  if (i === 0) return 0
  return mappedParent < 0 ? -1 : builder.child(mappedParent, tree.nodes.func[i] as number)
}

/**
 * Focus on a function (Firefox Profiler's "focus on function"): the function becomes the root, and every
 * call path through it is merged below it from its outermost occurrence on. Samples without the function
 * are dropped, so the new root's total is the function's total.
 */
export function focusFunction(tree: CallTree, fn: FunctionIndex): CallTree {
  const { func } = tree.nodes
  return rebuildTree(tree, fn, (i, mp, b) => {
    if (mp >= 0) return b.child(mp, func[i] as number)
    return func[i] === fn ? 0 : -1
  })
}

/**
 * Merge a function into its callers (Firefox Profiler's "merge function"): its nodes disappear, their
 * self value goes to the caller and their callees move up to the caller. The root cannot be merged.
 */
export function mergeFunction(tree: CallTree, fn: FunctionIndex): CallTree {
  const { func } = tree.nodes
  return rebuildTree(tree, func[0] as number, (i, mp, b) => {
    if (i > 0 && func[i] === fn) return mp
    return keep(tree, i, mp, b)
  })
}

/**
 * Collapse recursion. With a function: every call of it below an outer call of it (directly or through
 * other functions) is folded into the outer call, and the frames in between are dropped from those
 * stacks (Firefox Profiler's "collapse recursion": A→f→B→f→C becomes A→f→C). Without a function: direct
 * recursion (f→f) of every function is collapsed.
 */
export function collapseRecursion(tree: CallTree, fn?: FunctionIndex): CallTree {
  const { func, parent } = tree.nodes
  if (fn === undefined) {
    return rebuildTree(tree, func[0] as number, (i, mp, b) => {
      if (i > 0 && func[i] === func[parent[i] as number]) return mp
      return keep(tree, i, mp, b)
    })
  }
  // outer[i]: the outermost node of `fn` on the path from the root to i (inclusive), or -1.
  const outer = new Int32Array(tree.nodes.length).fill(-1)
  const mapped = new Int32Array(tree.nodes.length)
  return rebuildTree(tree, func[0] as number, (i, mp, b) => {
    const p = parent[i] as number
    const outerAbove = p < 0 ? -1 : (outer[p] as number)
    let placed: number
    if (func[i] === fn && outerAbove >= 0) placed = mapped[outerAbove] as number
    else placed = keep(tree, i, mp, b)
    outer[i] = outerAbove >= 0 ? outerAbove : func[i] === fn ? i : -1
    mapped[i] = placed
    return placed
  })
}

/** Drops every call path through a function, with the samples it holds (they leave the totals). */
export function dropFunction(tree: CallTree, fn: FunctionIndex): CallTree {
  const { func } = tree.nodes
  return rebuildTree(tree, func[0] as number, (i, mp, b) => (i > 0 && func[i] === fn ? -1 : keep(tree, i, mp, b)))
}

/** Drops `(idle)` samples: the time V8 spent waiting, which is not CPU work. Returns the same tree when it has none. */
export function dropIdle(tree: CallTree): CallTree {
  const { func } = tree.nodes
  const names = tree.functions.name
  const idle = new Uint8Array(tree.functions.length)
  for (let f = 0; f < tree.functions.length; f++) if (names[f] === '(idle)' && tree.functions.url[f] === '') idle[f] = 1
  // Function indexes outlive transforms, so a tree can list (idle) without any node of it left.
  if (!tree.nodes.func.some((f) => idle[f] === 1)) return tree
  return rebuildTree(tree, func[0] as number, (i, mp, b) => (i > 0 && idle[func[i] as number] ? -1 : keep(tree, i, mp, b)))
}
