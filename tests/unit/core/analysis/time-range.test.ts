import { describe, expect, it } from 'vitest'
import { TimeRangeError, phaseBands, profileOffsetMs, profileSpan, restrictToTimeRange } from '../../../../core/analysis/time-range.js'
import type { CpuProfileRaw } from '../../../../core/import/cpuprofile.js'
import { importCpuProfile } from '../../../../core/import/cpuprofile.js'
import { findFunctionByName, getTreeTotal, type CallTree } from '../../../../core/model/call-tree.js'
import { importHeapProfile } from '../../../../core/import/heap-profile.js'
import { dumpTree, readProfileFixture, treeFromText } from '../../../helpers/profile-from-text.js'

const load = (name: string): CallTree => importCpuProfile(JSON.parse(readProfileFixture(name)) as CpuProfileRaw)

/** Self time per function name, summed straight from the samples in [t0, t1): the independent reference. */
function selfFromSamples(tree: CallTree, t0: number, t1: number): Map<string, number> {
  const out = new Map<string, number>()
  const t = tree.timeline!
  for (let s = 0; s < t.length; s++) {
    const start = t.startMs[s]!
    if (start < t0 || start >= t1) continue
    const name = tree.functions.name[tree.nodes.func[t.node[s]!]!]!
    out.set(name, (out.get(name) ?? 0) + t.durationMs[s]!)
  }
  return out
}

function selfByName(tree: CallTree): Map<string, number> {
  const out = new Map<string, number>()
  for (let i = 0; i < tree.nodes.length; i++) {
    const self = tree.nodes.self[i]!
    if (self === 0) continue
    const name = tree.functions.name[tree.nodes.func[i]!]!
    out.set(name, (out.get(name) ?? 0) + self)
  }
  return out
}

describe('restrictToTimeRange on a real profile (orderbook naive, node 20)', () => {
  const tree = load('orderbook-naive.cpuprofile')
  const span = profileSpan(tree)!
  const mid = (span.startMs + span.endMs) / 2

  it('recomputes self values from the samples in the range alone', () => {
    const second = restrictToTimeRange(tree, { startMs: mid, endMs: span.endMs })
    const expected = selfFromSamples(tree, mid, span.endMs)
    const got = selfByName(second)
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort())
    for (const [name, v] of expected) expect(got.get(name)).toBeCloseTo(v, 6)
    expect(second.timeline!.length).toBe(second.meta.sampleCount)
    expect(second.timeline!.length).toBeLessThan(tree.timeline!.length)
    for (let s = 0; s < second.timeline!.length; s++) expect(second.timeline!.startMs[s]).toBeGreaterThanOrEqual(mid)
  })

  it('splits the profile: the two halves add up to the whole, and differ from it', () => {
    const first = restrictToTimeRange(tree, { startMs: span.startMs, endMs: mid })
    const second = restrictToTimeRange(tree, { startMs: mid, endMs: span.endMs })
    expect(getTreeTotal(first) + getTreeTotal(second)).toBeCloseTo(getTreeTotal(tree), 6)
    expect(first.timeline!.length + second.timeline!.length).toBe(tree.timeline!.length)
    expect(getTreeTotal(second)).toBeLessThan(getTreeTotal(tree) * 0.75)
    // Function indexes survive, so a selected function stays selected.
    const f = findFunctionByName(tree, 'applyUpdatesNaive')
    expect(f).toBeGreaterThanOrEqual(0)
    expect(findFunctionByName(second, 'applyUpdatesNaive')).toBe(f)
    expect(first.functions.total[f]! + second.functions.total[f]!).toBeCloseTo(tree.functions.total[f]!, 6)
  })

  it('keeps the whole tree for the whole span', () => {
    const all = restrictToTimeRange(tree, { startMs: span.startMs, endMs: span.endMs + 1 })
    expect(dumpTree(all, { digits: 3 })).toBe(dumpTree(tree, { digits: 3 }))
  })

  it('gives an empty tree (root only) for a range with no samples', () => {
    const none = restrictToTimeRange(tree, { startMs: span.endMs + 10, endMs: span.endMs + 20 })
    expect(none.nodes.length).toBe(1)
    expect(getTreeTotal(none)).toBe(0)
  })
})

describe('restrictToTimeRange on text profiles', () => {
  it('keeps only the call paths of the samples in range', () => {
    // One sample per column, 1 ms each: columns 0..3 are at 0, 1, 2, 3 ms.
    const tree = treeFromText(`
      main  main  main  main
      a     a     b     b
      x           y
    `)
    const late = restrictToTimeRange(tree, { startMs: 2, endMs: 4 })
    expect(dumpTree(late, { digits: 0 }).split('\n')).toEqual(['main;b 1ms', 'main;b;y 1ms'])
  })
})

describe('restrictToTimeRange input checks', () => {
  const tree = treeFromText(`
    main
    a
  `)
  it('refuses a reversed, empty or non-finite range', () => {
    expect(() => restrictToTimeRange(tree, { startMs: 5, endMs: 1 })).toThrow(TimeRangeError)
    expect(() => restrictToTimeRange(tree, { startMs: 1, endMs: 1 })).toThrow(/end after it starts/)
    expect(() => restrictToTimeRange(tree, { startMs: Number.NaN, endMs: 1 })).toThrow(/finite/)
  })
  it('refuses a profile without sample times', () => {
    const alloc = importHeapProfile(JSON.parse(readProfileFixture('alloc-burst.heapprofile')))
    expect(() => restrictToTimeRange(alloc, { startMs: 0, endMs: 1 })).toThrow(/no sample times/)
  })
})

describe('phaseBands and profileOffsetMs', () => {
  it('makes one band per run of samples with the same phase, ending at the next phase', () => {
    const bands = phaseBands([
      { tMs: 0 },
      { tMs: 100, phase: 'warmup' },
      { tMs: 200, phase: 'warmup' },
      { tMs: 300, phase: 'timing' },
      { tMs: 400, phase: 'timing' },
      { tMs: 500, phase: 'warmup' },
      { tMs: 600, phase: 'profiling' },
      { tMs: 700, phase: 'profiling' },
      { tMs: 800, phase: 'snapshot' },
      { tMs: 900, phase: 'snapshot' },
    ])
    expect(bands).toEqual([
      { phase: 'warmup', startMs: 100, endMs: 300 },
      { phase: 'timing', startMs: 300, endMs: 500 },
      { phase: 'warmup', startMs: 500, endMs: 600 },
      { phase: 'profiling', startMs: 600, endMs: 800 },
      { phase: 'snapshot', startMs: 800, endMs: 900 },
    ])
    expect(profileOffsetMs(bands)).toBe(600)
  })
  it('has no bands and no offset for a run recorded without phases', () => {
    const bands = phaseBands([{ tMs: 0 }, { tMs: 100 }])
    expect(bands).toEqual([])
    expect(profileOffsetMs(bands)).toBeNull()
  })
})
