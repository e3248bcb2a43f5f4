/**
 * Layout of the differential flame graph: boxes of the merged diff tree (computed by the service, see
 * core/compare/call-tree-diff.ts) sized by the larger of the two sides, per operation or as shares of each
 * profile, so code that disappeared keeps its place and width next to code that appeared. Pure functions.
 */
import type { FlameRow, FlameRows } from '../../../../core/analysis/flame-graph.js'
import type { DiffTree } from '../../../../core/compare/call-tree-diff.js'
import { type DiffNormalization, getNodeWeight } from '../../../../core/compare/diff-nodes.js'
import type { NodeIndex } from '../../../../core/model/units.js'

/**
 * Flame rows of a diff tree, each box as wide as the larger side's total (per operation, or as a share of
 * each profile), widened where needed to hold its children (their larger sides can come from different
 * runs, so their sum can pass the parent's larger side). Children go from the parent's left edge in node
 * order (by the larger total), zero-width paths are left out. Spans are in the units of the normalization.
 */
export function computeDiffFlameRows(tree: DiffTree, normalization: DiffNormalization): FlameRows {
  const n = tree.length
  if (n === 0) return { rows: [], span: 0 }
  const width = new Float64Array(n)
  for (let i = 0; i < n; i++) width[i] = getNodeWeight(tree, normalization, i)
  // Pre-order: children come after their parent, so a backward pass widens parents to their children.
  const childSum = new Float64Array(n)
  for (let i = n - 1; i >= 0; i--) {
    width[i] = Math.max(width[i]!, childSum[i]!)
    const p = tree.parent[i]!
    if (p >= 0 && width[i]! > 0) childSum[p] = childSum[p]! + width[i]!
  }
  const rootWidth = width[0]!
  if (!(rootWidth > 0)) return { rows: [], span: 0 }
  const cursor = new Float64Array(n)
  const nodeEnd = new Float64Array(n)
  const included = new Uint8Array(n)
  const sizes: number[] = []
  for (let i = 0; i < n; i++) {
    const p = tree.parent[i]!
    if (!(width[i]! > 0) || (p >= 0 && included[p] === 0)) continue
    included[i] = 1
    const d = tree.depth[i]!
    sizes[d] = (sizes[d] ?? 0) + 1
  }
  const rows: FlameRow[] = sizes.map((size) => ({
    length: 0,
    start: new Float64Array(size),
    end: new Float64Array(size),
    node: new Int32Array(size),
  }))
  for (let i = 0; i < n; i++) {
    if (included[i] === 0) continue
    const p = tree.parent[i]!
    const s = p < 0 ? 0 : cursor[p]!
    // Float sums must not push the last child past its parent's right edge.
    const e = Math.min(p < 0 ? 1 : nodeEnd[p]!, s + width[i]! / rootWidth)
    if (p >= 0) cursor[p] = e
    cursor[i] = s
    nodeEnd[i] = e
    const row = rows[tree.depth[i]!]!
    const k = row.length++
    row.start[k] = s
    row.end[k] = e
    row.node[k] = i
  }
  return { rows, span: rootWidth }
}

/** The path from the diff tree's root to `node`, both included. */
export function getDiffNodePath(tree: DiffTree, node: NodeIndex): NodeIndex[] {
  const path: NodeIndex[] = []
  for (let i = node; i >= 0; i = tree.parent[i]!) path.push(i)
  return path.reverse()
}

/** The node of a function with the largest larger-side total (where a table row focuses), or -1. */
export function findHeaviestNodeOf(tree: DiffTree, fn: number, normalization: DiffNormalization): NodeIndex {
  let best = -1
  let bestWeight = 0
  for (let i = 0; i < tree.length; i++) {
    if (tree.func[i] !== fn) continue
    const w = getNodeWeight(tree, normalization, i)
    if (w > bestWeight) {
      best = i
      bestWeight = w
    }
  }
  return best
}

/** Which side a single-side layout shows. */
export type DiffSide = 'baseline' | 'candidate'

/**
 * Flame rows of one side of a diff tree (the side-by-side view): boxes sized by that side's totals only,
 * so paths the side never ran have no box. In node order, like computeDiffFlameRows, so both sides and the
 * merged view keep paths in the same left-to-right order.
 */
export function computeDiffSideRows(tree: DiffTree, side: DiffSide, normalization: DiffNormalization): FlameRows {
  const perOp = normalization === 'perOp' && tree.baselineTotalMsPerOp !== undefined && tree.candidateTotalMsPerOp !== undefined
  const total = perOp
    ? side === 'baseline'
      ? tree.baselineTotalMsPerOp!
      : tree.candidateTotalMsPerOp!
    : side === 'baseline'
      ? tree.baselineTotal
      : tree.candidateTotal
  const n = tree.length
  const rootTotal = n > 0 ? total[0]! : 0
  if (n === 0 || !(rootTotal > 0)) return { rows: [], span: 0 }
  const cursor = new Float64Array(n)
  const nodeEnd = new Float64Array(n)
  const included = new Uint8Array(n)
  const sizes: number[] = []
  for (let i = 0; i < n; i++) {
    const p = tree.parent[i]!
    if (!(total[i]! > 0) || (p >= 0 && included[p] === 0)) continue
    included[i] = 1
    sizes[tree.depth[i]!] = (sizes[tree.depth[i]!] ?? 0) + 1
  }
  const rows: FlameRow[] = sizes.map((size) => ({
    length: 0,
    start: new Float64Array(size),
    end: new Float64Array(size),
    node: new Int32Array(size),
  }))
  for (let i = 0; i < n; i++) {
    if (included[i] === 0) continue
    const p = tree.parent[i]!
    const s = p < 0 ? 0 : cursor[p]!
    const e = Math.min(p < 0 ? 1 : nodeEnd[p]!, s + total[i]! / rootTotal)
    if (p >= 0) cursor[p] = e
    cursor[i] = s
    nodeEnd[i] = e
    const row = rows[tree.depth[i]!]!
    const k = row.length++
    row.start[k] = s
    row.end[k] = e
    row.node[k] = i
  }
  return { rows, span: rootTotal }
}
