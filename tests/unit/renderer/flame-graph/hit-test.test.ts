import { describe, expect, it } from 'vitest'
import { computeFlameRows, computeStackChart } from '../../../../core/analysis/flame-graph.js'
import { type CallTree, getFunctionName } from '../../../../core/model/call-tree.js'
import {
  findBoxOfNode,
  firstBoxEndingAfter,
  firstChildBox,
  hitTestFlame,
  moveForKey,
  moveSelection,
  parentBox,
  siblingBox,
} from '../../../../renderer/src/features/flame-graph/hit-test.js'
import { FULL_VIEWPORT, ROW_HEIGHT, type Viewport } from '../../../../renderer/src/features/flame-graph/viewport.js'
import { treeFromText } from '../../../helpers/profile-from-text.js'

// root → main (4 samples) → parse (2) → lex (1); main → render (1). Aggregated widths:
// root, main [0, 1]; parse [0, .5]; render [.5, .75]; lex [0, .25].
const tree = treeFromText(`
  main   main   main    main
  parse  parse  render
  lex
`)
const rows = computeFlameRows(tree)
const size = { width: 400, height: 200 }
const name = (t: CallTree, node: number | undefined): string | null =>
  node === undefined ? null : getFunctionName(t.functions, t.nodes.func[node]!)
const hitName = (x: number, y: number, orientation: 'flame' | 'icicle', v: Viewport = FULL_VIEWPORT): string | null =>
  name(tree, hitTestFlame(rows, v, size, x, y, orientation)?.node)

describe('hitTestFlame', () => {
  it('finds boxes by row and x in an icicle (root at the top)', () => {
    expect(hitName(10, 5, 'icicle')).toBe('(root)')
    expect(hitName(399, ROW_HEIGHT + 1, 'icicle')).toBe('main')
    expect(hitName(150, 2 * ROW_HEIGHT + 3, 'icicle')).toBe('parse')
    expect(hitName(250, 2 * ROW_HEIGHT + 3, 'icicle')).toBe('render')
    expect(hitName(350, 2 * ROW_HEIGHT + 3, 'icicle')).toBeNull()
    expect(hitName(50, 3 * ROW_HEIGHT + 3, 'icicle')).toBe('lex')
    expect(hitName(150, 3 * ROW_HEIGHT + 3, 'icicle')).toBeNull()
    expect(hitName(50, 4 * ROW_HEIGHT + 3, 'icicle')).toBeNull()
  })

  it('finds the same boxes mirrored in a flame graph (root at the bottom)', () => {
    const h = size.height
    expect(hitName(10, h - 1, 'flame')).toBe('(root)')
    expect(hitName(10, h - ROW_HEIGHT - 1, 'flame')).toBe('main')
    expect(hitName(250, h - 2 * ROW_HEIGHT - 1, 'flame')).toBe('render')
    expect(hitName(50, h - 3 * ROW_HEIGHT - 1, 'flame')).toBe('lex')
    expect(hitName(50, 5, 'flame')).toBeNull()
  })

  it('takes the zoom into account', () => {
    // Zoomed onto render's range, it spans the whole width of its row.
    const v: Viewport = { x0: 0.5, x1: 0.75, y: 0 }
    expect(hitName(0, 2 * ROW_HEIGHT + 3, 'icicle', v)).toBe('render')
    expect(hitName(399, 2 * ROW_HEIGHT + 3, 'icicle', v)).toBe('render')
    expect(hitName(200, 3 * ROW_HEIGHT + 3, 'icicle', v)).toBeNull()
    // Zoomed onto [0, .25]: lex fills its row and parse is everywhere above it.
    const left: Viewport = { x0: 0, x1: 0.25, y: 0 }
    expect(hitName(390, 3 * ROW_HEIGHT + 3, 'icicle', left)).toBe('lex')
    expect(hitName(390, 2 * ROW_HEIGHT + 3, 'icicle', left)).toBe('parse')
  })

  it('takes the vertical scroll into account in both orientations', () => {
    const scrolled: Viewport = { x0: 0, x1: 1, y: 2 * ROW_HEIGHT }
    expect(hitName(50, 1, 'icicle', scrolled)).toBe('parse')
    expect(hitName(50, ROW_HEIGHT + 1, 'icicle', scrolled)).toBe('lex')
    expect(hitName(50, size.height - 1, 'flame', scrolled)).toBe('parse')
  })

  it('returns null outside the canvas', () => {
    expect(hitTestFlame(rows, FULL_VIEWPORT, size, -1, 5, 'icicle')).toBeNull()
    expect(hitTestFlame(rows, FULL_VIEWPORT, size, 400, 5, 'icicle')).toBeNull()
    expect(hitTestFlame(rows, FULL_VIEWPORT, size, 10, 200, 'icicle')).toBeNull()
  })

  it('returns the row position and node of the box', () => {
    const box = hitTestFlame(rows, FULL_VIEWPORT, size, 250, 2 * ROW_HEIGHT + 3, 'icicle')!
    expect(box.depth).toBe(2)
    expect(rows.rows[2]!.node[box.index]).toBe(box.node)
  })

  it('hits the right stretch of a stack chart, where a node has several boxes', () => {
    const timed = treeFromText(`
      main  main   main  main
      a     b      a     a
    `)
    const chart = computeStackChart(timed)
    // a | b | a a under main: depth 2 has three boxes, two of them for the same node.
    const y = 2 * ROW_HEIGHT + 2
    expect(chart.rows[2]!.length).toBe(3)
    const first = hitTestFlame(chart, FULL_VIEWPORT, size, 50, y, 'icicle')!
    const last = hitTestFlame(chart, FULL_VIEWPORT, size, 350, y, 'icicle')!
    expect(first.node).toBe(last.node)
    expect([first.index, last.index]).toEqual([0, 2])
    expect(name(timed, hitTestFlame(chart, FULL_VIEWPORT, size, 150, y, 'icicle')!.node)).toBe('b')
  })
})

describe('moving between boxes', () => {
  const wide = treeFromText(`
    main  main  main  main  main  other
    a     a     b     c     c     x
    a2    a2          c2
  `)
  const r = computeFlameRows(wide)
  const boxNamed = (label: string, depth: number) => {
    const row = r.rows[depth]!
    for (let k = 0; k < row.length; k++) if (name(wide, row.node[k]) === label) return { depth, index: k, node: row.node[k]! }
    throw new Error(`no box ${label}`)
  }
  const named = (box: { node: number } | null) => (box ? name(wide, box.node) : null)

  it('goes to the caller, the heaviest callee, and siblings under the same caller only', () => {
    const a = boxNamed('a', 2)
    expect(named(parentBox(r, a))).toBe('main')
    expect(named(firstChildBox(r, a))).toBe('a2')
    expect(named(siblingBox(r, boxNamed('c', 2), 1))).toBe('b')
    expect(named(siblingBox(r, boxNamed('b', 2), -1))).toBe('c')
    // `x` sits next to `b` on the row but under another caller.
    expect(siblingBox(r, boxNamed('x', 2), -1)).toBeNull()
    expect(named(siblingBox(r, boxNamed('main', 1), 1))).toBe('other')
    expect(parentBox(r, { depth: 0, index: 0, node: 0 })).toBeNull()
    expect(firstChildBox(r, boxNamed('b', 2))).toBeNull()
  })

  it('maps arrow keys to moves by orientation', () => {
    expect(moveForKey('ArrowUp', 'icicle')).toBe('parent')
    expect(moveForKey('ArrowUp', 'flame')).toBe('child')
    expect(moveForKey('ArrowDown', 'icicle')).toBe('child')
    expect(moveForKey('ArrowDown', 'flame')).toBe('parent')
    expect(moveForKey('ArrowRight', 'flame')).toBe('next-sibling')
    expect(moveForKey('x', 'flame')).toBeNull()
    expect(named(moveSelection(r, boxNamed('c2', 3), 'parent'))).toBe('c')
  })

  it('finds the box of a node, and the first box visible from an x', () => {
    const c = boxNamed('c', 2)
    expect(findBoxOfNode(r, 2, c.node)).toEqual(c)
    expect(findBoxOfNode(r, 3, c.node)).toBeNull()
    const row = r.rows[2]!
    expect(firstBoxEndingAfter(row, 0)).toBe(0)
    expect(firstBoxEndingAfter(row, row.end[0]!)).toBe(1)
    expect(firstBoxEndingAfter(row, 1)).toBe(row.length)
  })

  it('gallops from a start index to the same answer as a full search', () => {
    const n = 1000
    const ends = Float64Array.from({ length: n }, (_, i) => (i + 1) / n)
    const row = { length: n, start: Float64Array.from(ends, (e) => e - 1 / n), end: ends, node: new Int32Array(n) }
    for (const from of [0, 1, 2, 5, 500, 998, 999, 1000]) {
      for (const x of [0, 0.0005, 0.001, 0.0031, 0.25, 0.5004, 0.999, 1, 2]) {
        const full = firstBoxEndingAfter(row, x)
        expect(firstBoxEndingAfter(row, x, from)).toBe(Math.max(full, from))
      }
    }
  })
})
