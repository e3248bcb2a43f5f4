import { describe, expect, it } from 'vitest'
import { computeClassIndex, summarizeHeap } from '../../../../core/analysis/heap-summary.js'
import { computeEssentialEdges, computeHeapDominators } from '../../../../core/analysis/dominators.js'
import { compareHeapClasses } from '../../../../core/compare/heap-class-diff.js'
import { parseHeapSnapshot } from '../../../../core/import/heap-snapshot.js'
import { loadFixture } from '../import/heap-snapshot-fixtures.js'

// Real snapshots of one Node 22 process before and after a planted leak of 2,000 LeakyThing objects.
const base = summarizeHeap(parseHeapSnapshot(loadFixture('leak-start')))
const target = summarizeHeap(parseHeapSnapshot(loadFixture('leak-end')))
const cmp = compareHeapClasses(base, target)

/** Every instance of a class in the end snapshot with its retained size, by a plain scan of all nodes. */
function allRetained(className: string): { nodeId: number; retainedSizeBytes: number }[] {
  const snapshot = parseHeapSnapshot(loadFixture('leak-end'))
  const dominators = computeHeapDominators(snapshot, computeEssentialEdges(snapshot))
  const classes = computeClassIndex(snapshot)
  const out: { nodeId: number; retainedSizeBytes: number }[] = []
  for (let v = 0; v < snapshot.nodes.length; v++) {
    if (classes.names[classes.classOfNode[v] as number] === className) out.push({ nodeId: snapshot.nodes.id[v] as number, retainedSizeBytes: dominators.retainedSizes[v] as number })
  }
  return out
}

describe('compareHeapClasses', () => {
  it('puts the leak on top: its holder by retained size, the leaking class by shallow size', () => {
    // The Array that keeps the leaked objects retains them all.
    expect(cmp.classes[0]!.name).toBe('Array')
    expect(cmp.classes[0]!.deltaCount).toBe(0)
    expect(cmp.classes.slice(0, 3).map((c) => c.name)).toContain('LeakyThing')
    const top = compareHeapClasses(base, target, 'shallow').classes[0]!
    expect(compareHeapClasses(base, target, 'count').classes[0]!.name).toBe('LeakyThing')
    expect(top.name).toBe('LeakyThing')
    expect(top.baseCount).toBe(100)
    expect(top.targetCount).toBe(2100)
    expect(top.deltaCount).toBe(2000)
    expect(top.deltaRetainedBytes).toBeGreaterThan(0)
    expect(top.deltaShallowBytes).toBe(top.targetShallowBytes - top.baseShallowBytes)
  })

  it('sorts by absolute change, so large drops are not at the bottom', () => {
    const abs = cmp.classes.map((c) => Math.abs(c.deltaRetainedBytes))
    for (let i = 1; i < abs.length; i++) expect(abs[i]!).toBeLessThanOrEqual(abs[i - 1]!)
    const swapped = compareHeapClasses(target, base, 'shallow')
    expect(swapped.classes[0]!.name).toBe('LeakyThing')
    expect(swapped.classes[0]!.deltaCount).toBe(-2000)
  })

  it("drills down to each side's largest instance and, where the summary kept one, its retaining path", () => {
    const leaky = cmp.classes.find((c) => c.name === 'LeakyThing')!
    expect(leaky.targetLargest?.retainedSizeBytes).toBeGreaterThan(0)
    expect(leaky.baseLargest?.nodeId).not.toBe(undefined)
    const withPath = cmp.classes.find((c) => (c.targetLargest?.path?.steps.length ?? 0) > 0)!
    expect(withPath.targetLargest!.path!.steps.at(-1)?.className).toBe(withPath.name)
  })

  it("lists each side's five largest instances, descending, with the retaining path of each (a real leak)", () => {
    // As the service summarizes for a class comparison: paths for the 50 largest classes of each side.
    const wide = compareHeapClasses(
      summarizeHeap(parseHeapSnapshot(loadFixture('leak-start')), { retainerPathCount: 50 }),
      summarizeHeap(parseHeapSnapshot(loadFixture('leak-end')), { retainerPathCount: 50 }),
    )
    const leaky = wide.classes.find((c) => c.name === 'LeakyThing')!
    for (const [list, largest, count] of [
      [leaky.targetInstances, leaky.targetLargest, leaky.targetCount],
      [leaky.baseInstances, leaky.baseLargest, leaky.baseCount],
    ] as const) {
      expect(list).toHaveLength(Math.min(5, count))
      expect(list![0]!.nodeId).toBe(largest!.nodeId)
      expect(new Set(list!.map((x) => x.nodeId)).size).toBe(list!.length)
      for (let i = 1; i < list!.length; i++) expect(list![i]!.retainedSizeBytes).toBeLessThanOrEqual(list![i - 1]!.retainedSizeBytes)
      for (const x of list!) {
        // Each path ends at that very instance.
        expect(x.path?.steps.at(-1)).toMatchObject({ className: 'LeakyThing', nodeId: x.nodeId })
      }
    }
  })

  it('keeps the five largest instances in the summary, and they are the largest (against a full sort)', () => {
    const row = target.classes.find((c) => c.name === 'LeakyThing')!
    expect(row.largestInstances!.map((x) => x.retainedSizeBytes)).toEqual(
      [...row.largestInstances!.map((x) => x.retainedSizeBytes)].sort((a, b) => b - a),
    )
    // No instance outside the five retains more than the fifth.
    const fifth = row.largestInstances!.at(-1)!.retainedSizeBytes
    const kept = new Set(row.largestInstances!.map((x) => x.nodeId))
    expect(row.count).toBeGreaterThan(5)
    expect(allRetained('LeakyThing').filter((x) => !kept.has(x.nodeId)).every((x) => x.retainedSizeBytes <= fifth)).toBe(true)
  })

  it('leaves out classes that did not change', () => {
    expect(compareHeapClasses(base, base).classes).toEqual([])
  })
})
