import { describe, expect, it } from 'vitest'
import { summarizeHeap } from '../../../../core/analysis/heap-summary.js'
import { compareHeapClasses } from '../../../../core/compare/heap-class-diff.js'
import { parseHeapSnapshot } from '../../../../core/import/heap-snapshot.js'
import { loadFixture } from '../import/heap-snapshot-fixtures.js'

// Real snapshots of one Node 22 process before and after a planted leak of 2,000 LeakyThing objects.
const base = summarizeHeap(parseHeapSnapshot(loadFixture('leak-start')))
const target = summarizeHeap(parseHeapSnapshot(loadFixture('leak-end')))
const cmp = compareHeapClasses(base, target)

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

  it('leaves out classes that did not change', () => {
    expect(compareHeapClasses(base, base).classes).toEqual([])
  })
})
