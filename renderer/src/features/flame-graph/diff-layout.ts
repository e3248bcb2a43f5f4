/**
 * Layout and colouring of the differential flame graph: boxes of the merged diff tree sized by one
 * side's totals (the candidate normally, the baseline to show what disappeared), each classified by how
 * its total share changed. Pure functions over core's DiffTree.
 */
import type { FlameRow, FlameRows } from '../../../../core/analysis/flame-graph.js'
import type { DiffTree } from '../../../../core/compare/call-tree-diff.js'
import type { NodeIndex } from '../../../../core/model/units.js'
import { type DiffChange, type DiffKind, DIFF_MIN_DELTA, classifyDiff } from './flame-colors.js'

/** Which side's totals size the boxes. */
export type DiffSide = 'candidate' | 'baseline'

/**
 * Flame rows of a diff tree sized by one side: the same left-heavy layout as core's computeFlameRows
 * (children from the parent's left edge in node order, zero-width paths left out), over the diff tree's
 * per-side totals. Node order is by the larger of the two totals, so a path keeps its place when the
 * view switches sides.
 */
export function computeDiffFlameRows(tree: DiffTree, side: DiffSide): FlameRows {
  const total = side === 'candidate' ? tree.candidateTotal : tree.baselineTotal
  const n = tree.length
  const rootTotal = n > 0 ? total[0]! : 0
  if (n === 0 || !(rootTotal > 0)) return { rows: [], span: 0 }
  const cursor = new Float64Array(n)
  const nodeEnd = new Float64Array(n)
  const included = new Uint8Array(n)
  const sizes: number[] = []
  for (let i = 0; i < n; i++) {
    const t = total[i]!
    const p = tree.parent[i]!
    if (!(t > 0) || (p >= 0 && included[p] === 0)) continue
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

/** Change per node of a diff tree, from its total shares on both sides. */
export interface NodeChanges {
  kind: Uint8Array
  /** In [0, 1]. */
  intensity: Float32Array
}

export const DIFF_KINDS: readonly DiffKind[] = ['same', 'grown', 'shrunk', 'new', 'gone']

export function computeNodeChanges(tree: DiffTree, minDelta = DIFF_MIN_DELTA): NodeChanges {
  const kind = new Uint8Array(tree.length)
  const intensity = new Float32Array(tree.length)
  for (let i = 0; i < tree.length; i++) {
    const change = classifyDiff(tree.baselineTotal[i]!, tree.candidateTotal[i]!, minDelta)
    kind[i] = DIFF_KINDS.indexOf(change.kind)
    intensity[i] = change.intensity
  }
  return { kind, intensity }
}

export function getNodeChange(changes: NodeChanges, node: NodeIndex): DiffChange {
  return { kind: DIFF_KINDS[changes.kind[node]!] ?? 'same', intensity: changes.intensity[node]! }
}

/** The path from the diff tree's root to `node`, both included. */
export function getDiffNodePath(tree: DiffTree, node: NodeIndex): NodeIndex[] {
  const path: NodeIndex[] = []
  for (let i = node; i >= 0; i = tree.parent[i]!) path.push(i)
  return path.reverse()
}
