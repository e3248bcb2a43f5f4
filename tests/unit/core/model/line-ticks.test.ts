import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { computeBottomUp } from '../../../../core/analysis/call-tree.js'
import { profileSpan, restrictToTimeRange } from '../../../../core/analysis/time-range.js'
import { importCpuProfile } from '../../../../core/import/cpuprofile.js'
import { findFunctionByName } from '../../../../core/model/call-tree.js'
import { createLineTickCollector, functionBodyLines, getFunctionLineTicks } from '../../../../core/model/line-ticks.js'

const FIXTURE = path.resolve(import.meta.dirname, '../../../fixtures/profiles/node-20.20.2/orderbook-naive.cpuprofile')
const TWO_PHASES = path.resolve(import.meta.dirname, '../../../fixtures/profiles/node-20.20.2/two-phases.cpuprofile')

interface RawNode {
  callFrame: { functionName: string; url: string }
  hitCount?: number
  positionTicks?: { line: number; ticks: number }[]
}

describe('per-function line ticks from a real Node profile (naive order book)', () => {
  const raw = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { nodes: RawNode[] }
  const tree = importCpuProfile(raw)

  it('sums positionTicks over every node of the function, lines ascending', () => {
    const fn = findFunctionByName(tree, 'rebuildHeap')
    expect(fn).toBeGreaterThanOrEqual(0)
    const nodes = raw.nodes.filter((n) => n.callFrame.functionName === 'rebuildHeap')
    expect(nodes.length).toBeGreaterThan(1) // reached through two call paths
    const expected = new Map<number, number>()
    for (const n of nodes) for (const t of n.positionTicks ?? []) expected.set(t.line, (expected.get(t.line) ?? 0) + t.ticks)
    const got = getFunctionLineTicks(tree.functions.lineTicks, fn)
    expect(got.map((t) => t.line)).toEqual([...expected.keys()].sort((a, b) => a - b))
    for (const t of got) expect(t.ticks).toBe(expected.get(t.line))
    // V8's ticks per node add up to its hitCount.
    const hits = nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0)
    expect(got.reduce((s, t) => s + t.ticks, 0)).toBe(hits)
  })

  it('functions without positionTicks have no lines; out-of-range functions neither', () => {
    const root = findFunctionByName(tree, '(root)')
    expect(getFunctionLineTicks(tree.functions.lineTicks, root)).toEqual([])
    expect(getFunctionLineTicks(tree.functions.lineTicks, tree.functions.length + 5)).toEqual([])
    expect(getFunctionLineTicks(undefined, 0)).toEqual([])
  })

  it('trees derived from the imported one keep its line ticks; a range covering the profile keeps them all', () => {
    expect(computeBottomUp(tree).functions.lineTicks).toEqual(tree.functions.lineTicks)
    const span = profileSpan(tree)!
    const whole = restrictToTimeRange(tree, span).functions.lineTicks!
    expect(whole.scaledToRange).toBe(true)
    expect(Array.from(whole.start)).toEqual(Array.from(tree.functions.lineTicks!.start))
    expect(Array.from(whole.line)).toEqual(Array.from(tree.functions.lineTicks!.line))
    Array.from(whole.ticks).forEach((t, k) => expect(t).toBeCloseTo(tree.functions.lineTicks!.ticks[k] as number, 9))
  })

  it('keeps them per node too: the nodes of a function add up to its table', () => {
    const fn = findFunctionByName(tree, 'rebuildHeap')
    const byNode = tree.nodeLineTicks!
    const sum = new Map<number, number>()
    for (let n = 0; n < tree.nodes.length; n++) {
      if (tree.nodes.func[n] !== fn) continue
      for (let k = byNode.start[n] as number; k < (byNode.start[n + 1] as number); k++)
        sum.set(byNode.line[k] as number, (sum.get(byNode.line[k] as number) ?? 0) + (byNode.ticks[k] as number))
    }
    expect(getFunctionLineTicks(tree.functions.lineTicks, fn)).toEqual(
      [...sum].sort((a, b) => a[0] - b[0]).map(([line, ticks]) => ({ line, ticks })),
    )
  })
})

describe('line ticks in a time range, on a real profile whose hot line moves (two-phases.js)', () => {
  // mix() runs its squares loop (line 11) for the first 200 ms, called from phaseSquares, then its
  // square-root loop (line 9), called from phaseRoots. Over the whole profile line 9 is the hotter.
  const tree = importCpuProfile(JSON.parse(readFileSync(TWO_PHASES, 'utf8')))
  const mix = findFunctionByName(tree, 'mix')
  const ticksOf = (t: typeof tree): Map<number, number> =>
    new Map(getFunctionLineTicks(t.functions.lineTicks, mix).map((l) => [l.line, l.ticks]))
  const hottest = (m: Map<number, number>): number => [...m].sort((a, b) => b[1] - a[1])[0]![0]
  const span = profileSpan(tree)!
  const middle = (span.startMs + span.endMs) / 2

  it('the whole profile: line 9 is the hottest line of mix', () => {
    expect(hottest(ticksOf(tree))).toBe(9)
  })

  it('the first half: line 11 (the squares loop), and no tick on line 9', () => {
    const first = ticksOf(restrictToTimeRange(tree, { startMs: span.startMs, endMs: middle }))
    expect(hottest(first)).toBe(11)
    expect(first.get(9) ?? 0).toBe(0)
  })

  it('the second half: line 9 again, with all of its ticks', () => {
    const second = restrictToTimeRange(tree, { startMs: middle, endMs: span.endMs })
    const m = ticksOf(second)
    expect(hottest(m)).toBe(9)
    expect(m.get(9)).toBeCloseTo(ticksOf(tree).get(9)!, 6)
    expect(second.functions.lineTicks!.scaledToRange).toBe(true)
    // The ranged tree's per-node table adds up to its function table.
    let total = 0
    for (let n = 0; n < second.nodes.length; n++) {
      if (second.nodes.func[n] !== mix) continue
      for (let k = second.nodeLineTicks!.start[n] as number; k < (second.nodeLineTicks!.start[n + 1] as number); k++)
        total += second.nodeLineTicks!.ticks[k] as number
    }
    expect(total).toBeCloseTo(
      [...m.values()].reduce((a, b) => a + b, 0),
      6,
    )
  })

  it('a range cutting a call path scales its ticks by the share of its samples inside', () => {
    const threeQuarters = middle + (span.endMs - middle) / 2
    const part = restrictToTimeRange(tree, { startMs: middle, endMs: threeQuarters })
    const whole = ticksOf(tree).get(9)!
    const got = ticksOf(part).get(9)!
    expect(got).toBeGreaterThan(0)
    expect(got).toBeLessThan(whole)
    expect(Number.isInteger(got)).toBe(false)
  })
})

describe('createLineTickCollector', () => {
  it('skips malformed entries and sums repeated lines', () => {
    const c = createLineTickCollector()
    c.add(
      1,
      [{ line: 3, ticks: 2 }, { line: 3, ticks: 5 }, { line: 0, ticks: 1 }, { line: 2.5, ticks: 1 }, null, { line: 9, ticks: -1 }],
      4,
    )
    c.add(0, 'not an array', 5)
    expect(c.any).toBe(true)
    const t = c.finish(3)
    expect(Array.from(t.start)).toEqual([0, 0, 1, 1])
    expect(getFunctionLineTicks(t, 1)).toEqual([{ line: 3, ticks: 7 }])
    const raw = c.raw()
    expect({ node: Array.from(raw.node), line: Array.from(raw.line), ticks: Array.from(raw.ticks) }).toEqual({
      node: [4, 4],
      line: [3, 3],
      ticks: [2, 5],
    })
  })

  it('orders lines within each function and sums them across nodes, whatever order they arrive in', () => {
    const c = createLineTickCollector()
    c.addEntry(2, 7, 40, 1)
    c.add(
      0,
      [
        { line: 9, ticks: 3 },
        { line: 2, ticks: 1 },
      ],
      1,
    )
    c.addEntry(2, 8, 12, 4)
    c.add(2, [{ line: 40, ticks: 2 }], 9)
    c.addEntry(0, 3, 9, 1)
    const t = c.finish(4)
    expect(Array.from(t.start)).toEqual([0, 2, 2, 4, 4])
    expect(getFunctionLineTicks(t, 0)).toEqual([
      { line: 2, ticks: 1 },
      { line: 9, ticks: 4 },
    ])
    expect(getFunctionLineTicks(t, 2)).toEqual([
      { line: 12, ticks: 4 },
      { line: 40, ticks: 3 },
    ])
    expect(t.ticks).toBeInstanceOf(Uint32Array)
    expect(Array.from(c.raw().node)).toEqual([7, 1, 1, 8, 9, 3])
  })
})

describe('functionBodyLines', () => {
  const text = [
    'class A {',
    '  m(x) {',
    "    const s = '}' + `{${x}`",
    '    /* } */ // }',
    '    if (x) { return 1 }',
    '  }',
    '}',
    'const f = (y) => y + 1;',
  ].join('\n')
  it('finds the closing brace, skipping strings, templates and comments', () => {
    expect(functionBodyLines(text, 2, 3)).toEqual({ start: 2, end: 6 })
    expect(functionBodyLines(text, 1, 1)).toEqual({ start: 1, end: 7 })
  })
  it('is null for expression bodies and positions past the text', () => {
    expect(functionBodyLines(text, 8, 11)).toBeNull()
    expect(functionBodyLines(text, 40, 1)).toBeNull()
    expect(functionBodyLines(text, 0, 0)).toBeNull()
  })
})
