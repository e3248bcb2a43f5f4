import { describe, expect, it } from 'vitest'
import {
  type HeapObjectTable,
  computeHeapObjectTable,
  diffHeapObjectTables,
  diffHeapSnapshots,
} from '../../../../core/compare/heap-diff.js'
import { parseHeapSnapshot } from '../../../../core/import/heap-snapshot.js'
import { sumSelfSizes } from '../../../../core/model/heap.js'
import { loadFixture, LEAK_ADDED } from '../import/heap-snapshot-fixtures.js'

describe('diffHeapSnapshots on two snapshots of one process', () => {
  const base = parseHeapSnapshot(loadFixture('leak-start'))
  const target = parseHeapSnapshot(loadFixture('leak-end'))
  const diff = diffHeapSnapshots(base, target)

  it('puts the planted leak first, with exactly the instances added between the snapshots', () => {
    const first = diff.classes[0]!
    expect(first.name).toBe('LeakyThing')
    expect(first.newCount).toBe(LEAK_ADDED)
    expect(first.deletedCount).toBe(0)
    expect(first.deltaCount).toBe(LEAK_ADDED)
    expect(first.targetCount - first.baseCount).toBe(LEAK_ADDED)
    expect(first.allocSizeBytes).toBe(first.deltaSizeBytes)
    expect(first.allocSizeBytes % LEAK_ADDED).toBe(0)
    expect(diff.warnings).toEqual([])
  })

  it('balances: the deltas add up to the change in node count and total size', () => {
    expect(diff.totals.newCount - diff.totals.deletedCount).toBe(target.nodes.length - base.nodes.length)
    expect(diff.totals.deltaSizeBytes).toBe(sumSelfSizes(target) - sumSelfSizes(base))
    expect(diff.classes.reduce((s, c) => s + c.deltaSizeBytes, 0)).toBe(diff.totals.deltaSizeBytes)
    expect(diff.matchedCount + diff.totals.newCount).toBe(target.nodes.length)
    expect(diff.matchedCount + diff.totals.deletedCount).toBe(base.nodes.length)
    for (const c of diff.classes) expect(c.deltaCount).toBe(c.targetCount - c.baseCount)
    for (let k = 1; k < diff.classes.length; k++)
      expect(diff.classes[k - 1]!.deltaSizeBytes).toBeGreaterThanOrEqual(diff.classes[k]!.deltaSizeBytes)
  })

  it('finds nothing between a snapshot and itself', () => {
    const same = diffHeapSnapshots(base, base)
    expect(same.classes).toEqual([])
    expect(same.matchedCount).toBe(base.nodes.length)
  })
})

const table = (rows: [id: number, cls: string, size: number][]): HeapObjectTable => {
  const classNames = [...new Set(rows.map((r) => r[1]))]
  return {
    nodeCount: rows.length,
    ids: Uint32Array.from(rows, (r) => r[0]),
    classOfNode: Uint32Array.from(rows, (r) => classNames.indexOf(r[1])),
    selfSizes: Uint32Array.from(rows, (r) => r[2]),
    classNames,
  }
}

describe('diffHeapObjectTables', () => {
  it('matches by id, per class, like DevTools: a changed class is a deletion plus an allocation', () => {
    const base = table([
      [1, 'A', 10],
      [3, 'A', 10],
      [5, 'B', 100],
      [7, 'C', 1],
    ])
    const target = table([
      [1, 'A', 10],
      [5, 'C', 100], // same id, different class
      [7, 'C', 1],
      [9, 'A', 12],
      [11, 'A', 12],
    ])
    const diff = diffHeapObjectTables(base, target)
    const rows = Object.fromEntries(
      diff.classes.map((c) => [c.name, [c.newCount, c.deletedCount, c.allocSizeBytes, c.freedSizeBytes, c.deltaSizeBytes]]),
    )
    expect(rows).toEqual({ A: [2, 1, 24, 10, 14], B: [0, 1, 0, 100, -100], C: [1, 0, 100, 0, 100] })
    expect(diff.classes.map((c) => c.name)).toEqual(['C', 'A', 'B'])
    expect(diff.matchedCount).toBe(2)
  })

  it('warns when nothing matches, as between snapshots of two processes', () => {
    const base = table(Array.from({ length: 200 }, (_, i): [number, string, number] => [i * 2 + 1, 'X', 8]))
    const target = table(Array.from({ length: 150 }, (_, i): [number, string, number] => [100_000 + i * 2, 'X', 8]))
    const diff = diffHeapObjectTables(base, target)
    expect(diff.warnings[0]).toMatch(/different processes/)
    expect(diff.classes[0]).toMatchObject({ name: 'X', newCount: 150, deletedCount: 200, deltaCount: -50, deltaSizeBytes: -400 })
  })

  it('builds the object table from a snapshot with ids, classes and sizes', () => {
    const snapshot = parseHeapSnapshot(loadFixture('leak-start'))
    const objects = computeHeapObjectTable(snapshot)
    expect(objects.nodeCount).toBe(snapshot.nodes.length)
    expect(objects.ids[0]).toBe(snapshot.nodes.id[0])
    expect(objects.selfSizes.reduce((s, v) => s + v, 0)).toBe(sumSelfSizes(snapshot))
  })
})
