import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { computeBottomUp } from '../../../../core/analysis/call-tree.js'
import { restrictToTimeRange } from '../../../../core/analysis/time-range.js'
import { importCpuProfile } from '../../../../core/import/cpuprofile.js'
import { findFunctionByName } from '../../../../core/model/call-tree.js'
import { createLineTickCollector, functionBodyLines, getFunctionLineTicks } from '../../../../core/model/line-ticks.js'

const FIXTURE = path.resolve(import.meta.dirname, '../../../fixtures/profiles/node-20.20.2/orderbook-naive.cpuprofile')

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

  it('trees derived from the imported one keep its line ticks', () => {
    expect(computeBottomUp(tree).functions.lineTicks).toEqual(tree.functions.lineTicks)
    expect(restrictToTimeRange(tree, { startMs: 0, endMs: 100 }).functions.lineTicks).toEqual(tree.functions.lineTicks)
  })
})

describe('createLineTickCollector', () => {
  it('skips malformed entries and sums repeated lines', () => {
    const c = createLineTickCollector()
    c.add(1, [{ line: 3, ticks: 2 }, { line: 3, ticks: 5 }, { line: 0, ticks: 1 }, { line: 2.5, ticks: 1 }, null, { line: 9, ticks: -1 }])
    c.add(0, 'not an array')
    expect(c.any).toBe(true)
    const t = c.finish(3)
    expect(Array.from(t.start)).toEqual([0, 0, 1, 1])
    expect(getFunctionLineTicks(t, 1)).toEqual([{ line: 3, ticks: 7 }])
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
