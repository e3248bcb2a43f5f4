import { describe, expect, it } from 'vitest'
import { computeFlameRows, computeStackChart, findBoxAt, type FlameRows } from '../../../../core/analysis/flame-graph.js'
import { dropIdle } from '../../../../core/analysis/transforms.js'
import { importCpuProfile } from '../../../../core/import/cpuprofile.js'
import { type CallTree, createCallTreeBuilder, createFunctionInterner, finishCallTree } from '../../../../core/model/call-tree.js'
import { createStatsRng } from '../../../../core/stats/rng.js'
import { readProfileFixture, treeFromText } from '../../../helpers/profile-from-text.js'

const EPS = 1e-12

/**
 * Checks the layout invariants and returns the violations (plain loops, one expect: 200k nodes stay fast):
 * each box sits inside a box of its parent node on the row above, boxes of a row are sorted and do not
 * overlap, and the children of a box are no wider together than it.
 */
function nestingProblems(tree: CallTree, flame: FlameRows): string[] {
  const problems: string[] = []
  const childWidth: Map<number, number>[] = flame.rows.map(() => new Map())
  flame.rows.forEach((row, depth) => {
    for (let k = 0; k < row.length; k++) {
      const node = row.node[k]!
      const s = row.start[k]!
      const e = row.end[k]!
      if (tree.nodes.depth[node] !== depth) problems.push(`node ${node} drawn at depth ${depth}`)
      if (!(s <= e)) problems.push(`box ${depth}/${k} has start ${s} > end ${e}`)
      if (k > 0 && s + EPS < row.end[k - 1]!) problems.push(`box ${depth}/${k} overlaps the one before`)
      if (depth === 0) continue
      const above = flame.rows[depth - 1]!
      const p = findBoxAt(above, s)
      if (p < 0 || above.node[p] !== tree.nodes.parent[node]) {
        problems.push(`box ${depth}/${k} (node ${node}) does not start inside a box of its parent`)
        continue
      }
      if (e > above.end[p]! + EPS) problems.push(`box ${depth}/${k} ends past its parent (${e} > ${above.end[p]})`)
      childWidth[depth - 1]!.set(p, (childWidth[depth - 1]!.get(p) ?? 0) + (e - s))
    }
  })
  childWidth.forEach((widths, depth) => {
    const row = flame.rows[depth]!
    for (const [k, width] of widths)
      if (width > row.end[k]! - row.start[k]! + 1e-9) problems.push(`children of box ${depth}/${k} are wider than it`)
  })
  return problems
}

function checkNesting(tree: CallTree, flame: FlameRows): void {
  expect(nestingProblems(tree, flame).slice(0, 5)).toEqual([])
}

/** A random tree of `n` nodes built directly (wide and deep enough to look like a big real profile). */
function randomTree(n: number, seed: number): CallTree {
  const rng = createStatsRng(seed)
  const interner = createFunctionInterner()
  const fns = Array.from({ length: 2000 }, (_, i) =>
    interner.intern({ name: `f${i}`, url: 'file:///x.js', line: i + 1, column: 1 }, 'user'),
  )
  const builder = createCallTreeBuilder(interner.intern({ name: '(root)', url: '', line: 0, column: 0 }, 'v8-native'))
  while (builder.size < n) {
    // Attach under a recent node (deep chains) or any node (width).
    const parent = rng.next() < 0.7 ? Math.max(0, builder.size - 1 - rng.below(8)) : rng.below(builder.size)
    const child = builder.child(parent, fns[rng.below(fns.length)]!)
    builder.addSelf(child, rng.next(), 1)
  }
  return finishCallTree(builder, interner.identities, { unit: 'ms', meta: { sampleCount: n } })
}

describe('computeFlameRows', () => {
  it('lays children side by side from their parent’s left edge, heaviest first', () => {
    const tree = treeFromText(`
      main  main  main  main
      a     b     b     b
            c     c
    `)
    const flame = computeFlameRows(tree)
    const row = (d: number) =>
      Array.from({ length: flame.rows[d]!.length }, (_, k) => [
        tree.functions.name[tree.nodes.func[flame.rows[d]!.node[k]!]!],
        flame.rows[d]!.start[k],
        flame.rows[d]!.end[k],
      ])
    expect(row(0)).toEqual([['(root)', 0, 1]])
    expect(row(1)).toEqual([['main', 0, 1]])
    expect(row(2)).toEqual([
      ['b', 0, 0.75],
      ['a', 0.75, 1],
    ])
    expect(row(3)).toEqual([['c', 0, 0.5]])
    expect(flame.span).toBe(4)
    checkNesting(tree, flame)
  })

  it.each(['fib-strings-json.cpuprofile', 'deep-recursion.cpuprofile', 'prettier-check.cpuprofile'])('nests boxes for %s', (name) => {
    const tree = importCpuProfile(JSON.parse(readProfileFixture(name)))
    const flame = computeFlameRows(tree)
    checkNesting(tree, flame)
    let boxes = 0
    for (const row of flame.rows) boxes += row.length
    expect(boxes).toBe(Array.from(tree.nodes.total).filter((t) => t > 0).length)
  })

  it('lays out 200,000 nodes in linear time', () => {
    const tree = randomTree(200_000, 7)
    const t0 = performance.now()
    const flame = computeFlameRows(tree)
    const ms = performance.now() - t0
    checkNesting(tree, flame)
    // Generous bound: an O(n log n) or worse layout of 200k nodes would still pass, a quadratic one would not.
    expect(ms).toBeLessThan(1500)
    console.info(`computeFlameRows: ${tree.nodes.length} nodes, ${flame.rows.length} rows in ${ms.toFixed(1)} ms`)
  })

  it('finds the box under x by binary search', () => {
    const tree = treeFromText('a b b c')
    const row = computeFlameRows(tree).rows[1]!
    const name = (k: number) => tree.functions.name[tree.nodes.func[row.node[k]!]!]
    expect(name(findBoxAt(row, 0.1))).toBe('b')
    expect(name(findBoxAt(row, 0.6))).toBe('a')
    expect(name(findBoxAt(row, 0.99))).toBe('c')
    expect(findBoxAt(row, 1)).toBe(-1)
  })
})

describe('computeStackChart', () => {
  it('merges consecutive samples that share frames into one box per depth', () => {
    const tree = treeFromText(`
      main  main  main  other
      a     a     b
            x
    `)
    const chart = computeStackChart(tree)
    const row = (d: number) =>
      Array.from(
        { length: chart.rows[d]!.length },
        (_, k) =>
          `${tree.functions.name[tree.nodes.func[chart.rows[d]!.node[k]!]!]} ${chart.rows[d]!.start[k]! * 4}-${chart.rows[d]!.end[k]! * 4}`,
      )
    expect(row(0)).toEqual(['(root) 0-4'])
    expect(row(1)).toEqual(['main 0-3', 'other 3-4'])
    expect(row(2)).toEqual(['a 0-2', 'b 2-3'])
    expect(row(3)).toEqual(['x 1-2'])
    expect(chart.span).toBe(4)
    checkNesting(tree, chart)
  })

  it('starts new boxes when a frame is re-entered or after a gap', () => {
    const tree = dropIdle(
      treeFromText(`
        main  main  (idle)  main
        a     b             b
      `),
    )
    const chart = computeStackChart(tree)
    const row1 = Array.from({ length: chart.rows[1]!.length }, (_, k) => [chart.rows[1]!.start[k]! * 4, chart.rows[1]!.end[k]! * 4])
    expect(row1).toEqual([
      [0, 2],
      [3, 4],
    ])
    expect(chart.rows[2]!.length).toBe(3)
  })

  it.each(['fib-strings-json.cpuprofile', 'deep-recursion.cpuprofile', 'prettier-check.cpuprofile'])('nests boxes for %s', (name) => {
    const tree = importCpuProfile(JSON.parse(readProfileFixture(name)))
    const chart = computeStackChart(tree)
    checkNesting(tree, chart)
    // Every sample's interval is covered by its leaf frame's box.
    const leafBoxes = chart.rows.flatMap((row) =>
      Array.from({ length: row.length }, (_, k) => ({ node: row.node[k]!, s: row.start[k]!, e: row.end[k]! })),
    )
    const t = tree.timeline!
    for (let k = 0; k < t.length; k += 37) {
      const mid = (t.startMs[k]! + t.durationMs[k]! / 2 - chart.startMs!) / chart.span
      expect(leafBoxes.some((b) => b.node === t.node[k] && b.s <= mid && mid <= b.e)).toBe(true)
    }
  })

  it('charts 200,000 samples over a 200,000-node tree in linear time', () => {
    const base = randomTree(200_000, 11)
    const rng = createStatsRng(3)
    const m = 200_000
    const node = new Int32Array(m)
    // Samples wander: mostly a nearby node (a neighbour in pre-order shares most of its stack), sometimes a jump.
    let at = 1
    for (let k = 0; k < m; k++) {
      at = rng.next() < 0.9 ? Math.min(base.nodes.length - 1, Math.max(1, at + rng.below(5) - 2)) : 1 + rng.below(base.nodes.length - 1)
      node[k] = at
    }
    const tree: CallTree = {
      ...base,
      timeline: {
        length: m,
        node,
        startMs: Float64Array.from({ length: m }, (_, k) => k * 0.1),
        durationMs: new Float64Array(m).fill(0.1),
      },
    }
    const t0 = performance.now()
    const chart = computeStackChart(tree)
    const ms = performance.now() - t0
    checkNesting(tree, chart)
    expect(ms).toBeLessThan(3000)
    let boxes = 0
    for (const row of chart.rows) boxes += row.length
    console.info(`computeStackChart: ${m} samples, ${boxes} boxes in ${ms.toFixed(1)} ms`)
  })

  it('refuses trees without a timeline', () => {
    const tree = randomTree(10, 1)
    expect(() => computeStackChart(tree)).toThrow(/no sample timeline/)
  })
})
