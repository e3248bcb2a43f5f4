import { describe, expect, it } from 'vitest'
import { type CpuProfileInput, type DiffTree, diffProfiles } from '../../../../core/compare/call-tree-diff.js'
import type { CpuProfileNode, CpuProfileRaw } from '../../../../core/import/cpuprofile.js'
import { createStatsRng } from '../../../../core/stats/rng.js'
import { profileFromText, readProfileFixture } from '../../../helpers/profile-from-text.js'

/** A profile of `main` calling each named function for the given number of 1 ms samples (interleaved). */
function profileWithCounts(counts: Record<string, number>): CpuProfileRaw {
  const frame = (name: string, line: number) => ({
    functionName: name,
    scriptId: '1',
    url: name === '(root)' ? '' : 'file:///app/main.js',
    lineNumber: line,
    columnNumber: 0,
  })
  const names = Object.keys(counts)
  const nodes: CpuProfileNode[] = [
    { id: 1, callFrame: frame('(root)', -1), children: [2] },
    { id: 2, callFrame: frame('main', 0), children: names.map((_, i) => 3 + i) },
    ...names.map((name, i) => ({ id: 3 + i, callFrame: frame(name, 10 + i) })),
  ]
  const left = names.map((n) => counts[n]!)
  const samples: number[] = []
  // Round-robin so every function is spread over the whole profile.
  while (left.some((c) => c > 0)) left.forEach((c, i) => c > 0 && (samples.push(3 + i), (left[i] = c - 1)))
  const timeDeltas = samples.map(() => 1000)
  return { nodes, startTime: 0, endTime: samples.length * 1000, samples, timeDeltas }
}

function nodeByPath(tree: DiffTree, path: string[]): number {
  let node = 0
  for (const name of path) {
    let found = -1
    for (let c = node + 1; c < tree.subtreeEnd[node]!; c = tree.subtreeEnd[c]!) if (tree.functions.name[tree.func[c]!] === name) found = c
    if (found < 0) throw new Error(`no ${path.join(';')}`)
    node = found
  }
  return node
}

describe('diffProfiles with one run per side', () => {
  const baseline: CpuProfileInput = { profile: profileWithCounts({ a: 40, b: 40, c: 20 }), operations: 100 }
  const candidate: CpuProfileInput = { profile: profileWithCounts({ a: 80, b: 40, d: 20 }), operations: 100 }

  it('finds a function whose self time doubled, one removed and one added', () => {
    const diff = diffProfiles([baseline], [candidate])
    const byName = Object.fromEntries(diff.functions.map((f) => [f.name, f]))
    expect(byName.a).toMatchObject({ status: 'grown', baselineSelfMsPerOp: 0.4, candidateSelfMsPerOp: 0.8, deltaSelfPct: 100 })
    expect(byName.b).toMatchObject({ status: 'same', deltaSelfPct: 0 })
    expect(byName.c).toMatchObject({ status: 'gone', baselineSelfShare: 0.2, candidateSelfShare: 0 })
    expect(byName.d).toMatchObject({ status: 'new', baselineSelfShare: 0 })
    expect(byName.a!.pValue).toBeUndefined()
    // Sorted by the size of the change: a gained 0.4 ms/op (40% of the baseline total), c and d ±0.2.
    expect(diff.functions[0]!.name).toBe('a')
    expect(
      diff.functions
        .map((f) => f.name)
        .slice(1, 3)
        .sort(),
    ).toEqual(['c', 'd'])
    expect(diff.runsPerSide).toEqual([1, 1])
    expect(diff.method).toMatchObject({ perOp: true, test: 'none' })
    expect(byName.main).toMatchObject({ status: 'same', baselineTotalShare: 1, candidateTotalShare: 1 })
  })

  it('judges by share of the profile when operation counts are missing', () => {
    const diff = diffProfiles([{ profile: baseline.profile }], [{ profile: candidate.profile }])
    const a = diff.functions.find((f) => f.name === 'a')!
    expect(a.status).toBe('grown')
    expect(a.baselineSelfShare).toBeCloseTo(0.4, 12)
    expect(a.candidateSelfShare).toBeCloseTo(80 / 140, 12)
    expect(a.baselineSelfMsPerOp).toBeUndefined()
    expect(a.deltaSelfPct).toBeUndefined()
    // b keeps 40 samples but its share fell from 40% to 29%: shrunk, by share.
    expect(diff.functions.find((f) => f.name === 'b')!.status).toBe('shrunk')
  })

  it('sees a uniform speed-up per operation that shares cannot show', () => {
    const fast: CpuProfileInput = { profile: profileWithCounts({ a: 40, b: 40, c: 20 }), operations: 200 }
    const perOp = diffProfiles([baseline], [fast])
    expect(perOp.functions.filter((f) => f.name !== 'main').map((f) => [f.name, f.status, f.deltaSelfPct])).toEqual([
      ['a', 'shrunk', -50],
      ['b', 'shrunk', -50],
      ['c', 'shrunk', -50],
    ])
    const byShare = diffProfiles([{ profile: baseline.profile }], [{ profile: fast.profile }])
    expect(byShare.functions.every((f) => f.status === 'same')).toBe(true)
  })

  it('ignores changes below the thresholds and functions below minShare', () => {
    const slightly: CpuProfileInput = { profile: profileWithCounts({ a: 42, b: 40, c: 20, tiny: 1 }), operations: 100 }
    const diff = diffProfiles([baseline], [slightly], { minShare: 0.02 })
    expect(diff.functions.find((f) => f.name === 'a')!.status).toBe('same')
    expect(diff.functions.find((f) => f.name === 'tiny')).toBeUndefined()
    expect(diffProfiles([baseline], [slightly], { minShare: 0.001 }).functions.find((f) => f.name === 'tiny')!.status).toBe('new')
  })

  it('merges both trees by function keys along the path for the diff flame graph', () => {
    const base = profileFromText(`
      main  main  main  main
      a     a     b     b
      x           y
    `)
    const cand = profileFromText(`
      main  main  main  main  main  main
      a     a     a     a     b     c
      x     x     x
    `)
    const { tree } = diffProfiles([{ profile: base, operations: 4 }], [{ profile: cand, operations: 4 }])
    expect(tree.baselineTotal[0]).toBeCloseTo(1, 12)
    expect(tree.candidateTotal[0]).toBeCloseTo(1, 12)
    const ax = nodeByPath(tree, ['main', 'a', 'x'])
    expect([tree.baselineTotal[ax], tree.candidateTotal[ax]]).toEqual([0.25, 0.5])
    expect([tree.baselineTotalMsPerOp![ax], tree.candidateTotalMsPerOp![ax]]).toEqual([0.25, 0.75])
    const by = nodeByPath(tree, ['main', 'b', 'y'])
    expect([tree.baselineTotal[by], tree.candidateTotal[by]]).toEqual([0.25, 0])
    const c = nodeByPath(tree, ['main', 'c'])
    expect([tree.baselineSelf[c], tree.candidateSelf[c]]).toEqual([0, 1 / 6])
    // Subtrees are contiguous and children sit after their parent.
    for (let i = 1; i < tree.length; i++) {
      expect(tree.parent[i]!).toBeLessThan(i)
      expect(tree.subtreeEnd[i]!).toBeLessThanOrEqual(tree.subtreeEnd[tree.parent[i]!]!)
    }
  })

  it('leaves (idle) out of the shares', () => {
    const base = profileFromText('main (idle) (idle) (idle)\nwork')
    const cand = profileFromText('main\nwork')
    const diff = diffProfiles([{ profile: base }], [{ profile: cand }])
    expect(diff.functions.find((f) => f.name === 'work')).toMatchObject({ baselineSelfShare: 1, candidateSelfShare: 1, status: 'same' })
    expect(diff.functions.find((f) => f.name === '(idle)')).toBeUndefined()
  })
})

describe('diffProfiles with several runs per side', () => {
  /** Per-run sample counts drawn around `means` with a normal spread of `sd` samples (Box–Muller). */
  function runs(seed: number, n: number, means: Record<string, number>, sd: number): CpuProfileInput[] {
    const rng = createStatsRng(seed)
    const normal = (): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next())
    return Array.from({ length: n }, () => {
      const counts = Object.fromEntries(Object.entries(means).map(([k, m]) => [k, Math.max(0, Math.round(m + sd * normal()))]))
      return { profile: profileWithCounts(counts), operations: 1000 }
    })
  }
  const means = { parse: 100, lex: 100, emit: 80, check: 60, bind: 60, walk: 40 }

  it('flags a clear shift as significant and leaves the rest alone', () => {
    const baseline = runs(1, 5, means, 4)
    const candidate = runs(2, 5, { ...means, parse: 130 }, 4)
    const diff = diffProfiles(baseline, candidate)
    expect(diff.method.test).toBe('welch-t')
    const parse = diff.functions.find((f) => f.name === 'parse')!
    expect(parse).toMatchObject({ status: 'grown', significant: true })
    expect(parse.pValue!).toBeLessThan(0.01)
    expect(parse.deltaSelfPct!).toBeGreaterThan(20)
    for (const f of diff.functions.filter((x) => x.name !== 'parse' && x.name !== 'main')) {
      expect(f.significant, f.name).toBe(false)
      expect(f.status, f.name).toBe('same')
    }
  })

  it('rarely flags anything in pure noise (false alarms across 20 seeded trials)', () => {
    let trialsWithAlarm = 0
    for (let trial = 0; trial < 20; trial++) {
      const diff = diffProfiles(runs(100 + trial, 5, means, 6), runs(200 + trial, 5, means, 6))
      if (diff.functions.some((f) => f.significant)) trialsWithAlarm++
    }
    // Benjamini–Hochberg at 5% keeps the chance of any false alarm under 5% when nothing changed.
    expect(trialsWithAlarm).toBeLessThanOrEqual(2)
  })

  it('falls back to the one-run rule when a side has a single run', () => {
    const diff = diffProfiles(runs(1, 1, means, 0), runs(2, 3, { ...means, parse: 200 }, 0))
    expect(diff.method.test).toBe('none')
    expect(diff.functions.find((f) => f.name === 'parse')).toMatchObject({ status: 'grown' })
    expect(diff.functions.find((f) => f.name === 'parse')!.pValue).toBeUndefined()
  })
})

describe('diffProfiles with a transform stack (real order book profiles)', () => {
  const side = (variant: 'naive' | 'optimized'): CpuProfileInput[] => [
    { profile: JSON.parse(readProfileFixture(`orderbook-${variant}.cpuprofile`)) as CpuProfileRaw },
  ]
  const rootChildren = (tree: DiffTree): string[] => {
    const out: string[] = []
    for (let c = 1; c < tree.length; c = tree.subtreeEnd[c]!) out.push(tree.functions.name[tree.func[c]!]!)
    return out
  }

  it('collapsing Node internals keeps the harness folded: both sides still start at the workload', () => {
    const plain = diffProfiles(side('naive'), side('optimized'))
    const collapsed = diffProfiles(side('naive'), side('optimized'), { transforms: [{ type: 'collapse-node-internals' }] })
    expect(rootChildren(plain.tree)).toContain('applyUpdate')
    expect(rootChildren(collapsed.tree)).toContain('applyUpdate')
    expect(rootChildren(collapsed.tree)).not.toContain('(node internals)')
    expect(collapsed.alignment.entryPoints).toEqual(plain.alignment.entryPoints)
  })

  it('focusing a function on both sides diffs only the time under it', () => {
    const naiveOnly = diffProfiles(side('naive'), side('optimized'), {
      transforms: [{ type: 'focus-function', fn: 'walkBook file:///hotpath/dist/workloads/orderbook/naive.js:120:13' }],
    })
    // The optimized variant has no such function: its side is empty, and nothing outside walkBook is listed.
    expect(naiveOnly.functions.map((f) => f.name)).not.toContain('rebuildHeap')
    expect(naiveOnly.functions.map((f) => f.name)).toContain('walk')
  })
})
