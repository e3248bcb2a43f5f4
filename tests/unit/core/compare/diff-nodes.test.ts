import { describe, expect, it } from 'vitest'
import { type CpuProfileInput, type DiffTree, diffProfiles } from '../../../../core/compare/call-tree-diff.js'
import { classifyDiffNodes, getNodeChangeKind, getNodeWeight } from '../../../../core/compare/diff-nodes.js'
import type { CpuProfileRaw } from '../../../../core/import/cpuprofile.js'
import { readProfileFixture } from '../../../helpers/profile-from-text.js'

/** The naive and optimized order book, recorded by `hotpath run orderbook --variant … --profile cpu` (a timing pass, then the profiled pass). */
function orderbook(variant: 'naive' | 'optimized'): CpuProfileInput {
  const ops = JSON.parse(readProfileFixture('orderbook.operations.json')) as Record<string, { profiledOperations: number }>
  return {
    profile: JSON.parse(readProfileFixture(`orderbook-${variant}.cpuprofile`)) as CpuProfileRaw,
    operations: ops[variant]!.profiledOperations,
  }
}

function nodesNamed(tree: DiffTree, name: string): number[] {
  const out: number[] = []
  for (let i = 0; i < tree.length; i++) if (tree.functions.name[tree.func[i]!] === name) out.push(i)
  return out
}

describe('the naive vs optimized order book diff, per operation', () => {
  const diff = diffProfiles([orderbook('naive')], [orderbook('optimized')])
  const tree = diff.tree
  const changes = classifyDiffNodes(tree, 'perOp')

  it('is per operation, with both runs under one root', () => {
    expect(diff.method.perOp).toBe(true)
    expect(diff.alignment.entryPoints.baseline).toEqual(['applyUpdatesNaive'])
    expect(diff.alignment.entryPoints.candidate).toContain('applyUpdatesSorted')
    // The whole profile per op: the optimized book is over ten times faster.
    const [b, c] = diff.totalMsPerOp!
    expect(b / c).toBeGreaterThan(10)
    for (const name of ['processImmediate', 'runNextTicks', 'runMicrotasks', 'measure']) expect(nodesNamed(tree, name)).toEqual([])
  })

  it('lists first a function whose time per operation fell: rebuildHeap', () => {
    const first = diff.functions[0]!
    expect(first.name).toBe('rebuildHeap')
    expect(first.candidateSelfMsPerOp!).toBeLessThan(first.baselineSelfMsPerOp!)
    expect(first.baselineTotalMsPerOp!).toBeGreaterThanOrEqual(first.baselineSelfMsPerOp!)
    // No harness function is listed while harness frames are hidden.
    expect(diff.functions.some((f) => f.name === 'measure')).toBe(false)
  })

  it('colours rebuildHeap as the widest strongly faster box, and nothing slower unless its own time per op grew', () => {
    let widest = -1
    for (let i = 0; i < tree.length; i++) {
      if (getNodeChangeKind(changes, i) !== 'faster' || changes.intensity[i]! < 0.5) continue
      if (widest < 0 || getNodeWeight(tree, 'perOp', i) > getNodeWeight(tree, 'perOp', widest)) widest = i
    }
    expect(tree.functions.name[tree.func[widest]!]).toBe('rebuildHeap')
    expect(changes.intensity[widest]).toBe(1)
    expect(changes.removed[widest]).toBe(1)
    for (let i = 0; i < tree.length; i++) {
      if (getNodeChangeKind(changes, i) === 'slower') expect(tree.candidateSelfMsPerOp![i]!).toBeGreaterThan(tree.baselineSelfMsPerOp![i]!)
      if (getNodeChangeKind(changes, i) === 'faster') expect(tree.candidateSelfMsPerOp![i]!).toBeLessThan(tree.baselineSelfMsPerOp![i]!)
    }
    expect(getNodeChangeKind(changes, 0)).toBe('same')
  })

  it("by share of profile instead, the optimized book's own loop grows (what the old view showed)", () => {
    const share = classifyDiffNodes(tree, 'share')
    expect(share.normalization).toBe('share')
    const slower = [...Array(tree.length).keys()]
      .filter((i) => getNodeChangeKind(share, i) === 'slower')
      .map((i) => tree.functions.name[tree.func[i]!])
    expect(slower).toContain('setLevel')
  })

  it('leaves out of the table what only the harness ran (timing, the histogram, IPC), but keeps the entry points', () => {
    const raw = diffProfiles([orderbook('naive')], [orderbook('optimized')], { hideHarness: false })
    const harnessWork = raw.functions.filter((f) => ['now', 'recordValue', 'writeUtf8String'].includes(f.name)).map((f) => f.name)
    expect(harnessWork.length).toBeGreaterThan(0)
    const listed = new Set(diff.functions.map((f) => f.name))
    for (const name of harnessWork) expect(listed.has(name)).toBe(false)
    expect(listed.has('applyUpdatesNaive')).toBe(true)
    const entry = diff.functions.find((f) => f.name === 'applyUpdatesNaive')!
    expect(entry.status).toBe('gone')
  })

  it('shows the old unaligned paths with harness frames kept', () => {
    const raw = diffProfiles([orderbook('naive')], [orderbook('optimized')], { hideHarness: false })
    expect(raw.alignment.harnessHidden).toBe(false)
    expect(nodesNamed(raw.tree, 'measure').length).toBeGreaterThanOrEqual(2)
    expect(raw.functions.some((f) => f.name === 'measure')).toBe(true)
  })
})

/** A profile of `main` calling each named function for the given number of 1 ms samples, 10 operations. */
function counts(c: Record<string, number>): CpuProfileInput {
  const frame = (name: string, line: number) => ({
    functionName: name,
    scriptId: '1',
    url: name === '(root)' ? '' : 'file:///app/main.js',
    lineNumber: line,
    columnNumber: 0,
  })
  const names = Object.keys(c)
  const samples = names.flatMap((n, i) => Array.from({ length: c[n]! }, () => 3 + i))
  const profile: CpuProfileRaw = {
    nodes: [
      { id: 1, callFrame: frame('(root)', -1), children: [2] },
      { id: 2, callFrame: frame('main', 0), children: names.map((_, i) => 3 + i) },
      ...names.map((name, i) => ({ id: 3 + i, callFrame: frame(name, 10 + i) })),
    ],
    startTime: 0,
    endTime: samples.length * 1000,
    samples,
    timeDeltas: samples.map(() => 1000),
  }
  return { profile, operations: 10 }
}

describe('classifyDiffNodes noise rule', () => {
  const diff = diffProfiles([counts({ a: 200, b: 20, c: 2, d: 30 })], [counts({ a: 210, b: 40, c: 3, d: 10 })])
  const changes = classifyDiffNodes(diff.tree, 'perOp')
  const kind = (name: string) => getNodeChangeKind(changes, nodesNamed(diff.tree, name)[0]!)
  const intensity = (name: string) => changes.intensity[nodesNamed(diff.tree, name)[0]!]!

  it('keeps changes under 10% relative or under 0.5% of the baseline grey', () => {
    expect(kind('a')).toBe('same') // +5%
    expect(kind('c')).toBe('same') // +50%, but one sample more: under 0.5% of the baseline
  })

  it('colours the rest by sign, strength by size relative to the largest change', () => {
    expect(kind('b')).toBe('slower')
    expect(kind('d')).toBe('faster')
    expect(intensity('b')).toBe(1)
    expect(intensity('d')).toBe(1)
    expect(intensity('a')).toBe(0)
  })

  it('stays pale when the largest change is small', () => {
    const small = diffProfiles([counts({ a: 1000, b: 100 })], [counts({ a: 1000, b: 115 })])
    const ch = classifyDiffNodes(small.tree, 'perOp')
    const b = nodesNamed(small.tree, 'b')[0]!
    expect(getNodeChangeKind(ch, b)).toBe('slower')
    expect(ch.intensity[b]!).toBeLessThan(0.5)
  })
})
