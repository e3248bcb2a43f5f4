import { describe, expect, it } from 'vitest'
import { foldHarnessFrames, isHarnessFrame, isSchedulingFrame } from '../../../../core/analysis/align-stacks.js'
import { dropIdle } from '../../../../core/analysis/transforms.js'
import type { CpuProfileRaw } from '../../../../core/import/cpuprofile.js'
import { importCpuProfile } from '../../../../core/import/cpuprofile.js'
import { getTreeTotal, type CallTree } from '../../../../core/model/call-tree.js'
import { readProfileFixture } from '../../../helpers/profile-from-text.js'

const load = (name: string): CallTree => dropIdle(importCpuProfile(JSON.parse(readProfileFixture(name)) as CpuProfileRaw))

/** `name;name;…` of every path from the root's children down to depth `depth`, with its total share. */
function paths(tree: CallTree, depth: number): Map<string, number> {
  const out = new Map<string, number>()
  const total = getTreeTotal(tree)
  const { nodes, functions } = tree
  const names: string[] = []
  for (let i = 1; i < nodes.length; i++) {
    const d = nodes.depth[i]!
    names[d] = functions.name[nodes.func[i]!]!
    if (d <= depth) out.set(names.slice(1, d + 1).join(';'), nodes.total[i]! / total)
  }
  return out
}

describe('foldHarnessFrames on real orderbook profiles (Node 20.20.2, `hotpath run orderbook --profile cpu`)', () => {
  const naive = load('orderbook-naive.cpuprofile')
  const optimized = load('orderbook-optimized.cpuprofile')

  it('starts the naive profile below processImmediate → runNextTicks → runMicrotasks → measure → applyUpdatesNaive', () => {
    // Before: most samples sit below Node's scheduling frames and the harness.
    expect(paths(naive, 5).get('processImmediate;runNextTicks;runMicrotasks;measure;applyUpdatesNaive')).toBeGreaterThan(0.5)
    const folded = foldHarnessFrames(naive)
    expect(folded.entryPoints.map((f) => naive.functions.name[f])).toEqual(['applyUpdatesNaive'])
    const after = paths(folded.tree, 3)
    expect(after.get('applyUpdate;setLevel;rebuildHeap')).toBeGreaterThan(0.5)
    for (const p of after.keys()) expect(p).not.toMatch(/processImmediate|runNextTicks|runMicrotasks|measure|applyUpdatesNaive/)
    // Nothing is lost: the folded tree holds every sample, the hidden ones as the root's self.
    expect(getTreeTotal(folded.tree)).toBeCloseTo(getTreeTotal(naive), 9)
    expect(folded.tree.nodes.self[0]).toBeGreaterThanOrEqual(folded.hiddenValue)
    expect(folded.hiddenValue).toBeGreaterThan(0)
  })

  it('gives the optimized profile (entered directly, without scheduling frames) the same root', () => {
    expect([...paths(optimized, 2).keys()].some((p) => p.startsWith('measure;applyUpdatesSorted'))).toBe(true)
    const folded = foldHarnessFrames(optimized)
    expect(folded.entryPoints.map((f) => optimized.functions.name[f])).toContain('applyUpdatesSorted')
    const after = paths(folded.tree, 2)
    expect(after.get('applyLevel;setLevel')).toBeGreaterThan(0.1)
    for (const p of after.keys()) expect(p).not.toMatch(/^measure|applyUpdatesSorted/)
  })

  it('only folds leading scheduling frames of a profile without harness frames (a program of its own)', () => {
    const fib = load('fib-strings-json.cpuprofile')
    const folded = foldHarnessFrames(fib)
    expect(folded.entryPoints).toEqual([])
    expect(getTreeTotal(folded.tree)).toBeCloseTo(getTreeTotal(fib), 9)
    const top = [...paths(folded.tree, 1).keys()]
    for (const name of top) expect(['processTicksAndRejections', 'runMicrotasks', 'processImmediate', 'listOnTimeout']).not.toContain(name)
    // The program's own paths (module evaluation below Node's ESM loader) stay as they were.
    expect(paths(folded.tree, 2).get('run;evaluate')).toBeGreaterThan(0.8)
    expect(paths(folded.tree, 2).get('run;evaluate')).toBeCloseTo(paths(fib, 2).get('run;evaluate')!, 9)
  })
})

describe('frame classification', () => {
  it('knows the harness by its module path, compiled or not', () => {
    expect(isHarnessFrame('file:///opt/hotpath/dist/workloads/harness/measure.js')).toBe(true)
    expect(isHarnessFrame('file:///src/hotpath/workloads/harness/measure.ts')).toBe(true)
    expect(isHarnessFrame('file:///src/hotpath/workloads/orderbook/index.ts')).toBe(false)
  })

  it('knows Node scheduling frames by name and internal module only', () => {
    expect(isSchedulingFrame('processImmediate', 'node:internal/timers')).toBe(true)
    expect(isSchedulingFrame('runNextTicks', 'node:internal/process/task_queues')).toBe(true)
    expect(isSchedulingFrame('runMicrotasks', '')).toBe(true)
    expect(isSchedulingFrame('processImmediate', 'file:///app/my-timers.js')).toBe(false)
  })
})
