/**
 * Computes flame-graph rows from a call tree (aggregated, left-heavy) and stack-chart rows from its
 * sample timeline (time-ordered). x positions are unit intervals of the root total or of the time span
 * (Firefox Profiler's UnitIntervalOfProfileRange); drawing and hit testing live in the renderer.
 */
import type { CallTree } from '../model/call-tree.js'
import { resized } from '../model/typed-arrays.js'
import type { Milliseconds, UnitInterval } from '../model/units.js'

/** The boxes of one depth, sorted by start (so hit testing can binary search). */
export interface FlameRow {
  length: number
  /** Left edge of each box, in [0, 1]. */
  start: Float64Array
  /** Right edge of each box, in [0, 1]. */
  end: Float64Array
  /** The call tree node each box stands for. */
  node: Int32Array
}

/** Rows by depth: rows[0] holds the root alone, spanning [0, 1]. */
export interface FlameRows {
  rows: FlameRow[]
  /** What x = 1 stands for: the root total (tree unit) for flame graphs, the time span for stack charts. */
  span: number
  /** For stack charts: the time (ms since the profile's startTime) at x = 0. */
  startMs?: Milliseconds
}

/** Groups boxes by depth into typed-array rows. `depthOf` and the box arrays are in emission order. */
function toRows(count: number, depth: Int32Array, start: Float64Array, end: Float64Array, node: Int32Array): FlameRow[] {
  let maxDepth = -1
  for (let i = 0; i < count; i++) if ((depth[i] as number) > maxDepth) maxDepth = depth[i] as number
  const sizes = new Int32Array(maxDepth + 1)
  for (let i = 0; i < count; i++) sizes[depth[i] as number]! += 1
  const rows: FlameRow[] = Array.from(sizes, (size) => ({
    length: size,
    start: new Float64Array(size),
    end: new Float64Array(size),
    node: new Int32Array(size),
  }))
  const fill = new Int32Array(maxDepth + 1)
  for (let i = 0; i < count; i++) {
    const d = depth[i] as number
    const row = rows[d] as FlameRow
    const k = fill[d]!++
    row.start[k] = start[i] as number
    row.end[k] = end[i] as number
    row.node[k] = node[i] as number
  }
  return rows
}

/**
 * The aggregated flame graph: each node's box is as wide as its total over the root total, children sit
 * side by side from their parent's left edge, heaviest first (the tree's sibling order). Nodes with a zero
 * total are left out. O(n): one pass in pre-order, one pass to group by depth.
 */
export function computeFlameRows(tree: CallTree): FlameRows {
  const { nodes } = tree
  const n = nodes.length
  const rootTotal = n > 0 ? (nodes.total[0] as number) : 0
  if (n === 0 || !(rootTotal > 0)) return { rows: [], span: 0 }
  const depth = new Int32Array(n)
  const start = new Float64Array(n)
  const end = new Float64Array(n)
  const node = new Int32Array(n)
  // cursor[i]: where the next child of node i starts; nodeEnd[i]: the right edge of node i's box.
  const cursor = new Float64Array(n)
  const nodeEnd = new Float64Array(n)
  let count = 0
  for (let i = 0; i < n; i++) {
    const t = nodes.total[i] as number
    if (!(t > 0)) continue
    const p = nodes.parent[i] as number
    const s = p < 0 ? 0 : (cursor[p] as number)
    // Rounding in the sum of the children's widths must not push the last child past its parent's edge.
    const e = Math.min(p < 0 ? 1 : (nodeEnd[p] as number), s + t / rootTotal)
    if (p >= 0) cursor[p] = e
    cursor[i] = s
    nodeEnd[i] = e
    depth[count] = nodes.depth[i] as number
    start[count] = s
    end[count] = e
    node[count] = i
    count++
  }
  return { rows: toRows(count, depth, start, end, node), span: rootTotal }
}

/**
 * The stack chart (time-ordered flame chart): one box per uninterrupted stretch of time during which a
 * call path stayed on the stack, so consecutive samples that share a frame (the same tree node at that
 * depth) extend one box rather than drawing one per sample, as DevTools' flame chart does. A gap between
 * samples (e.g. dropped idle time) closes every box. x is a unit interval of [first sample start, last
 * sample end]. Cost: O(samples + boxes), boxes ≤ the sum of stack-depth changes between samples.
 * Throws when the tree has no timeline (allocation profiles, hitCount-only CPU profiles).
 */
export function computeStackChart(tree: CallTree): FlameRows {
  const timeline = tree.timeline
  if (!timeline) throw new Error('this profile has no sample timeline (allocation profile or hitCount-only CPU profile)')
  const { parent, depth: nodeDepth } = tree.nodes
  const m = timeline.length
  if (m === 0) return { rows: [], span: 0, startMs: 0 }
  const t0 = timeline.startMs[0] as number
  const lastIndex = m - 1
  const t1 = (timeline.startMs[lastIndex] as number) + (timeline.durationMs[lastIndex] as number)
  const span = t1 - t0
  if (!(span > 0)) return { rows: [], span: 0, startMs: t0 }

  let cap = 1024
  let depth = new Int32Array(cap)
  let start = new Float64Array(cap)
  let end = new Float64Array(cap)
  let node = new Int32Array(cap)
  let count = 0
  const emit = (d: number, s: number, e: number, nodeIndex: number): void => {
    if (count === cap) {
      cap *= 2
      depth = resized(depth, cap)
      start = resized(start, cap)
      end = resized(end, cap)
      node = resized(node, cap)
    }
    depth[count] = d
    start[count] = (s - t0) / span
    end[count] = (e - t0) / span
    node[count] = nodeIndex
    count++
  }

  // The open frames, root first: openNode[d] is the node open at depth d, opened at openStart[d].
  const maxDepth = tree.nodes.length
  const openNode = new Int32Array(maxDepth + 1)
  const openStart = new Float64Array(maxDepth + 1)
  let openTop = 0
  const pending: number[] = []
  let prevEnd = t0
  for (let k = 0; k < m; k++) {
    const s = timeline.startMs[k] as number
    // Close everything at a gap (1 ns tolerance for float sums).
    if (openTop > 0 && s > prevEnd + 1e-6) {
      while (openTop > 0) {
        openTop--
        emit(openTop, openStart[openTop] as number, prevEnd, openNode[openTop] as number)
      }
    }
    // Walk up from the new stack's top until reaching a node that is open: that is the common ancestor.
    let x = timeline.node[k] as number
    pending.length = 0
    while (x >= 0) {
      const d = nodeDepth[x] as number
      if (d < openTop && openNode[d] === x) break
      pending.push(x)
      x = parent[x] as number
    }
    const keepDepth = x >= 0 ? (nodeDepth[x] as number) + 1 : 0
    while (openTop > keepDepth) {
      openTop--
      emit(openTop, openStart[openTop] as number, s, openNode[openTop] as number)
    }
    for (let j = pending.length - 1; j >= 0; j--) {
      openNode[openTop] = pending[j] as number
      openStart[openTop] = s
      openTop++
    }
    prevEnd = s + (timeline.durationMs[k] as number)
  }
  while (openTop > 0) {
    openTop--
    emit(openTop, openStart[openTop] as number, prevEnd, openNode[openTop] as number)
  }
  return { rows: toRows(count, depth, start, end, node), span, startMs: t0 }
}

/** The box of a row under x, by binary search, or -1 (rows are sorted and non-overlapping). */
export function findBoxAt(row: FlameRow, x: UnitInterval): number {
  let lo = 0
  let hi = row.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if ((row.end[mid] as number) <= x) lo = mid + 1
    else if ((row.start[mid] as number) > x) hi = mid - 1
    else return mid
  }
  return -1
}
