/**
 * Which box is under a canvas point, and moving between boxes with the keyboard. Works on any FlameRows
 * (aggregated flame graph, stack chart, diff layout), by binary search within a row. Pure functions.
 */
import { type FlameRow, type FlameRows, findBoxAt } from '../../../../core/analysis/flame-graph.js'
import type { CssPixels, NodeIndex } from '../../../../core/model/units.js'
import { type FlameOrientation, type Viewport, depthAtY, pxToUnit } from './viewport.js'

/** One box of a FlameRows: its row, its position in the row, and the tree node it stands for. */
export interface FlameBox {
  depth: number
  index: number
  node: NodeIndex
}

export interface CanvasSize {
  width: CssPixels
  height: CssPixels
}

/** The box under canvas point (x, y) in CSS pixels, or null over empty space or outside the canvas. */
export function hitTestFlame(
  rows: FlameRows,
  viewport: Viewport,
  canvasSize: CanvasSize,
  x: CssPixels,
  y: CssPixels,
  orientation: FlameOrientation,
): FlameBox | null {
  if (!(x >= 0 && x < canvasSize.width && y >= 0 && y < canvasSize.height)) return null
  const depth = depthAtY(y, orientation, viewport, canvasSize.height)
  const row = rows.rows[depth]
  if (depth < 0 || !row) return null
  const index = findBoxAt(row, pxToUnit(viewport, x, canvasSize.width))
  return index < 0 ? null : { depth, index, node: row.node[index]! }
}

/**
 * The first box of a row whose end lies past x (the first one visible from x on), or row.length.
 * With `from`, only boxes from that index on are searched, galloping (1, 2, 4, … boxes ahead) before
 * the binary search, so a short hop costs O(log hop) instead of O(log row.length).
 */
export function firstBoxEndingAfter(row: FlameRow, x: number, from = 0): number {
  let lo = from
  let hi = row.length
  if (from > 0) {
    let step = 1
    while (lo + step < hi && row.end[lo + step]! <= x) {
      lo += step
      step *= 2
    }
    hi = Math.min(hi, lo + step + 1)
    if (row.end[lo]! > x) return lo
  }
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (row.end[mid]! <= x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** A box of `node` at `depth` (the first one in time for stack charts, where a node has several), or null. */
export function findBoxOfNode(rows: FlameRows, depth: number, node: NodeIndex): FlameBox | null {
  const row = rows.rows[depth]
  if (!row) return null
  for (let k = 0; k < row.length; k++) if (row.node[k] === node) return { depth, index: k, node }
  return null
}

/** The box on the row above that contains the middle of this one: the caller's box. */
export function parentBox(rows: FlameRows, box: FlameBox): FlameBox | null {
  if (box.depth === 0) return null
  const row = rows.rows[box.depth]!
  const above = rows.rows[box.depth - 1]!
  const index = findBoxAt(above, (row.start[box.index]! + row.end[box.index]!) / 2)
  return index < 0 ? null : { depth: box.depth - 1, index, node: above.node[index]! }
}

/** The first (leftmost) box on the row below that lies inside this one: the heaviest callee when aggregated. */
export function firstChildBox(rows: FlameRows, box: FlameBox): FlameBox | null {
  const row = rows.rows[box.depth]!
  const below = rows.rows[box.depth + 1]
  if (!below) return null
  const start = row.start[box.index]!
  const end = row.end[box.index]!
  const index = firstBoxEndingAfter(below, start)
  if (index >= below.length || below.start[index]! >= end) return null
  return { depth: box.depth + 1, index, node: below.node[index]! }
}

/** The next (`+1`) or previous (`-1`) box of the same row within the same caller's box, or null. */
export function siblingBox(rows: FlameRows, box: FlameBox, step: 1 | -1): FlameBox | null {
  const row = rows.rows[box.depth]!
  const index = box.index + step
  if (index < 0 || index >= row.length) return null
  if (box.depth > 0) {
    const parent = parentBox(rows, box)
    const above = rows.rows[box.depth - 1]!
    if (!parent) return null
    const mid = (row.start[index]! + row.end[index]!) / 2
    if (mid < above.start[parent.index]! || mid >= above.end[parent.index]!) return null
  }
  return { depth: box.depth, index, node: row.node[index]! }
}

/** A keyboard move in tree terms; FlameGraph maps arrow keys to these according to the orientation. */
export type FlameMove = 'parent' | 'child' | 'next-sibling' | 'previous-sibling'

export function moveSelection(rows: FlameRows, box: FlameBox, move: FlameMove): FlameBox | null {
  switch (move) {
    case 'parent':
      return parentBox(rows, box)
    case 'child':
      return firstChildBox(rows, box)
    case 'next-sibling':
      return siblingBox(rows, box, 1)
    case 'previous-sibling':
      return siblingBox(rows, box, -1)
  }
}

/** Which tree move an arrow key means: up/down follow the screen, so they swap between flame and icicle. */
export function moveForKey(key: string, orientation: FlameOrientation): FlameMove | null {
  switch (key) {
    case 'ArrowLeft':
      return 'previous-sibling'
    case 'ArrowRight':
      return 'next-sibling'
    case 'ArrowUp':
      return orientation === 'icicle' ? 'parent' : 'child'
    case 'ArrowDown':
      return orientation === 'icicle' ? 'child' : 'parent'
    default:
      return null
  }
}
