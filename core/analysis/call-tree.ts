/**
 * Views of a call tree: top-down (the tree itself), bottom-up (inverted), the sandwich of one function
 * (its callers and callees), the hottest path, and the top functions by self or total.
 */
import {
  type CallTree,
  type FunctionCategory,
  type FunctionIndex,
  type TreeValue,
  createCallTreeBuilder,
  finishCallTree,
  getTreeTotal,
} from '../model/call-tree.js'
import type { NodeIndex, UnitInterval } from '../model/units.js'
import { collapseRecursion, focusFunction } from './transforms.js'

/**
 * The bottom-up (inverted) tree: the root's children are the functions where the value was spent
 * (their total is the function's self value), and each node's children are its callers. A node's
 * `total` is the value spent in the root-level function through that chain of callers. `self` sits on
 * the outermost caller of each chain and has no meaning of its own in this view. The function table keeps
 * the values of the original tree. Cost: the sum of the depths of the nodes with self value.
 */
export function computeBottomUp(tree: CallTree): CallTree {
  const { nodes } = tree
  const builder = createCallTreeBuilder(nodes.func[0] as number)
  if ((nodes.self[0] as number) !== 0 || (nodes.selfSamples[0] as number) !== 0) {
    builder.addSelf(0, nodes.self[0] as number, nodes.selfSamples[0] as number)
  }
  for (let i = 1; i < nodes.length; i++) {
    if ((nodes.self[i] as number) === 0 && (nodes.selfSamples[i] as number) === 0) continue
    let b = builder.child(0, nodes.func[i] as number)
    for (let j = nodes.parent[i] as number; j > 0; j = nodes.parent[j] as number) b = builder.child(b, nodes.func[j] as number)
    builder.addSelf(b, nodes.self[i] as number, nodes.selfSamples[i] as number)
  }
  return finishCallTree(builder, tree.functions, { unit: tree.unit, meta: tree.meta, functionValues: tree.functions })
}

/** The sandwich view of one function (speedscope): who called it, and what it called. */
export interface Sandwich {
  /**
   * Inverted tree rooted at the function: children are its callers, their children the callers'
   * callers, up to (not including) the profile root. Totals are the function's total through each chain.
   */
  callers: CallTree
  /** Top-down tree rooted at the function: every call of it merged, recursion collapsed. */
  callees: CallTree
}

/**
 * Callers and callees of one function. Recursion of the function is collapsed first (A→f→B→f→C counts
 * as A→f→C), so each sample counts once and both roots' totals equal the function's total.
 */
export function computeSandwich(tree: CallTree, fn: FunctionIndex): Sandwich {
  const collapsed = collapseRecursion(tree, fn)
  const callees = focusFunction(collapsed, fn)
  const { nodes } = collapsed
  const builder = createCallTreeBuilder(fn)
  for (let i = 0; i < nodes.length; i++) {
    if (nodes.func[i] !== fn) continue
    let b = 0
    for (let j = nodes.parent[i] as number; j > 0; j = nodes.parent[j] as number) b = builder.child(b, nodes.func[j] as number)
    builder.addSelf(b, nodes.total[i] as number, nodes.totalSamples[i] as number)
  }
  const callers = finishCallTree(builder, tree.functions, { unit: tree.unit, meta: tree.meta })
  return { callers, callees }
}

/** The hottest path from a node: its heaviest child, that child's heaviest child, and so on (from included). */
export function heaviestPath(tree: CallTree, from: NodeIndex = 0): NodeIndex[] {
  const { subtreeEnd, total } = tree.nodes
  const path = [from]
  // Children are ordered by total descending, so the heaviest child is the first one.
  for (let i = from; i + 1 < (subtreeEnd[i] as number) && (total[i + 1] as number) > 0; i = i + 1) path.push(i + 1)
  return path
}

/** One function in a top-functions table. */
export interface TopFunction {
  fn: FunctionIndex
  key: string
  name: string
  url: string
  /** 1-based; 0 when unknown. */
  line: number
  column: number
  category: FunctionCategory
  /** In the tree's unit (ms or bytes). */
  self: TreeValue
  total: TreeValue
  /** Share of the tree's total value. */
  selfShare: UnitInterval
  totalShare: UnitInterval
  selfSamples: number
  totalSamples: number
}

/**
 * The functions with the most self or total value, heaviest first (ties: the other value, then name).
 * The root pseudo-function and functions with no value are left out.
 */
export function topFunctions(tree: CallTree, by: 'self' | 'total', limit = 20): TopFunction[] {
  const f = tree.functions
  const rootFn = tree.nodes.func[0]
  const treeTotal = getTreeTotal(tree)
  const primary = by === 'self' ? f.self : f.total
  const secondary = by === 'self' ? f.total : f.self
  const candidates: number[] = []
  for (let i = 0; i < f.length; i++) if (i !== rootFn && ((primary[i] as number) > 0 || (f.total[i] as number) > 0)) candidates.push(i)
  candidates.sort(
    (a, b) =>
      (primary[b] as number) - (primary[a] as number) ||
      (secondary[b] as number) - (secondary[a] as number) ||
      ((f.name[a] as string) < (f.name[b] as string) ? -1 : (f.name[a] as string) > (f.name[b] as string) ? 1 : a - b),
  )
  return candidates.slice(0, Math.max(0, limit)).map((i) => ({
    fn: i,
    key: f.key[i] as string,
    name: f.name[i] as string,
    url: f.url[i] as string,
    line: f.line[i] as number,
    column: f.column[i] as number,
    category: f.category[i] as FunctionCategory,
    self: f.self[i] as number,
    total: f.total[i] as number,
    selfShare: treeTotal > 0 ? (f.self[i] as number) / treeTotal : 0,
    totalShare: treeTotal > 0 ? (f.total[i] as number) / treeTotal : 0,
    selfSamples: f.selfSamples[i] as number,
    totalSamples: f.totalSamples[i] as number,
  }))
}
