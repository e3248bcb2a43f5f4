/**
 * Compares the heaps of two different processes (two runs) class by class: objects cannot be matched by
 * id across processes (V8 object ids are per process), so the comparison is of the two class histograms:
 * count, shallow and retained size per class, before and after, sorted by the size of the change
 * (DevTools' Summary compared side by side). Start/end snapshots of one process keep the by-id
 * comparison of heap-diff.ts.
 */
import type { ClassRetainerPath, HeapClassSummary, HeapSummary } from '../analysis/heap-summary.js'
import type { Bytes } from '../model/units.js'

/** One class on both sides; a class missing on a side has zeros there. */
export interface HeapClassChange {
  name: string
  baseCount: number
  targetCount: number
  deltaCount: number
  baseShallowBytes: Bytes
  targetShallowBytes: Bytes
  deltaShallowBytes: Bytes
  baseRetainedBytes: Bytes
  targetRetainedBytes: Bytes
  deltaRetainedBytes: Bytes
  /** Each side's largest instance (by retained size), and its retaining path when the summary kept one. */
  baseLargest?: HeapClassSummary['largestInstance'] & { path?: ClassRetainerPath['path'] }
  targetLargest?: HeapClassSummary['largestInstance'] & { path?: ClassRetainerPath['path'] }
  /** Each side's largest instances, descending (the first is the largest above), with the paths the summary kept. */
  baseInstances?: HeapClassInstance[]
  targetInstances?: HeapClassInstance[]
}

/** One instance of a class in a class comparison: its id, retained size and, when kept, retaining path. */
export interface HeapClassInstance {
  nodeId: number
  retainedSizeBytes: Bytes
  path?: ClassRetainerPath['path']
}

/** What the classes are sorted by: the absolute change of retained size, shallow size or count. */
export type HeapClassSortKey = 'retained' | 'shallow' | 'count'

export interface HeapClassComparison {
  /** Sorted by the absolute change of the sort key descending, then of the other two, then by name. */
  classes: HeapClassChange[]
  totals: { baseBytes: Bytes; targetBytes: Bytes; baseCount: number; targetCount: number }
}

/**
 * Compares two heap summaries by class name. O(classes log classes). By retained size (the default) the
 * holder of a leak comes first (the array that keeps the leaked objects); by shallow size, the leaked class.
 */
export function compareHeapClasses(base: HeapSummary, target: HeapSummary, sortBy: HeapClassSortKey = 'retained'): HeapClassComparison {
  const byName = new Map<string, { b?: HeapClassSummary; t?: HeapClassSummary }>()
  for (const c of base.classes) byName.set(c.name, { ...byName.get(c.name), b: c })
  for (const c of target.classes) byName.set(c.name, { ...byName.get(c.name), t: c })
  const pathOf = (summary: HeapSummary, name: string, nodeId: number) => {
    const kept = summary.retainerPaths.find((p) => p.className === name)
    if (!kept) return undefined
    return kept.nodeId === nodeId ? kept.path : kept.instances?.find((x) => x.nodeId === nodeId)?.path
  }
  const instancesOf = (summary: HeapSummary, c: HeapClassSummary): HeapClassInstance[] | undefined =>
    c.largestInstances && c.largestInstances.length > 1
      ? c.largestInstances.map((x) => {
          const path = pathOf(summary, c.name, x.nodeId)
          return { nodeId: x.nodeId, retainedSizeBytes: x.retainedSizeBytes, ...(path ? { path } : {}) }
        })
      : undefined
  const classes: HeapClassChange[] = []
  for (const [name, { b, t }] of byName) {
    const change: HeapClassChange = {
      name,
      baseCount: b?.count ?? 0,
      targetCount: t?.count ?? 0,
      deltaCount: (t?.count ?? 0) - (b?.count ?? 0),
      baseShallowBytes: b?.shallowSizeBytes ?? 0,
      targetShallowBytes: t?.shallowSizeBytes ?? 0,
      deltaShallowBytes: (t?.shallowSizeBytes ?? 0) - (b?.shallowSizeBytes ?? 0),
      baseRetainedBytes: b?.retainedSizeBytes ?? 0,
      targetRetainedBytes: t?.retainedSizeBytes ?? 0,
      deltaRetainedBytes: (t?.retainedSizeBytes ?? 0) - (b?.retainedSizeBytes ?? 0),
    }
    if (change.deltaCount === 0 && change.deltaShallowBytes === 0 && change.deltaRetainedBytes === 0) continue
    if (b) {
      const path = pathOf(base, name, b.largestInstance.nodeId)
      change.baseLargest = { ...b.largestInstance, ...(path ? { path } : {}) }
      const list = instancesOf(base, b)
      if (list) change.baseInstances = list
    }
    if (t) {
      const path = pathOf(target, name, t.largestInstance.nodeId)
      change.targetLargest = { ...t.largestInstance, ...(path ? { path } : {}) }
      const list = instancesOf(target, t)
      if (list) change.targetInstances = list
    }
    classes.push(change)
  }
  classes.sort((a, b) => sortHeapClassChanges(a, b, sortBy))
  return {
    classes,
    totals: {
      baseBytes: base.totalSelfSizeBytes,
      targetBytes: target.totalSelfSizeBytes,
      baseCount: base.nodeCount,
      targetCount: target.nodeCount,
    },
  }
}

/** The comparison order of compareHeapClasses, for re-sorting a result without recomputing it. */
export function sortHeapClassChanges(a: HeapClassChange, b: HeapClassChange, sortBy: HeapClassSortKey): number {
  const keys: Record<HeapClassSortKey, (c: HeapClassChange) => number> = {
    retained: (c) => Math.abs(c.deltaRetainedBytes),
    shallow: (c) => Math.abs(c.deltaShallowBytes),
    count: (c) => Math.abs(c.deltaCount),
  }
  const order: HeapClassSortKey[] = [sortBy, ...(['retained', 'shallow', 'count'] as const).filter((k) => k !== sortBy)]
  for (const k of order) {
    const d = keys[k](b) - keys[k](a)
    if (d !== 0) return d
  }
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}
