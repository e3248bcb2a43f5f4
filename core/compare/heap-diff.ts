/**
 * Compares two heap snapshots of one process the way DevTools' Comparison view does: objects are matched
 * by their V8 object id, and per class it counts what was allocated (#new), what was freed (#deleted), and
 * the size of each. Snapshots reduce first to a compact object table, so a diff never holds two full graphs.
 */
import type { Bytes } from '../model/units.js'
import type { HeapSnapshot } from '../model/heap.js'
import { type HeapClassIndex, computeClassIndex } from '../analysis/heap-summary.js'

/** What a diff needs from one snapshot: each object's id, class and self size (12 bytes per node). */
export interface HeapObjectTable {
  nodeCount: number
  ids: Uint32Array
  classOfNode: Uint32Array
  /** Self size per node, in bytes. */
  selfSizes: Uint32Array
  classNames: string[]
}

/** The snapshot's own id and size columns, with the class of each node; nothing is copied but the classes. */
export function computeHeapObjectTable(snapshot: HeapSnapshot, classes: HeapClassIndex = computeClassIndex(snapshot)): HeapObjectTable {
  const { nodes } = snapshot
  return { nodeCount: nodes.length, ids: nodes.id, classOfNode: classes.classOfNode, selfSizes: nodes.selfSize, classNames: classes.names }
}

/** One row of the comparison: how one class changed from the base snapshot to the target. */
export interface HeapDiffClass {
  name: string
  /** Objects in the target whose id is not in the base under this class. */
  newCount: number
  /** Objects in the base whose id is not in the target under this class. */
  deletedCount: number
  /** newCount − deletedCount (equals the change in instance count). */
  deltaCount: number
  /** Self sizes of the new objects, in bytes. */
  allocSizeBytes: Bytes
  /** Self sizes of the deleted objects, in bytes. */
  freedSizeBytes: Bytes
  /** allocSizeBytes − freedSizeBytes, in bytes. */
  deltaSizeBytes: Bytes
  /** Instances in the base and in the target. */
  baseCount: number
  targetCount: number
}

/** Totals of one side of a diff. */
export interface HeapDiffSide {
  nodeCount: number
  /** Sum of self sizes, in bytes. */
  totalSelfSizeBytes: Bytes
}

/** The comparison of two snapshots. Plain data. */
export interface HeapDiff {
  base: HeapDiffSide
  target: HeapDiffSide
  /** Objects found in both snapshots (same id, same class). */
  matchedCount: number
  /** Classes with at least one new or deleted object, by deltaSizeBytes descending (ties: deltaCount, then name). */
  classes: HeapDiffClass[]
  totals: { newCount: number; deletedCount: number; allocSizeBytes: Bytes; freedSizeBytes: Bytes; deltaSizeBytes: Bytes }
  /** Conditions that make the numbers less meaningful, as text for the CLI and the UI. */
  warnings: string[]
}

/**
 * Matches objects by id through an open-addressing hash table of the base's ids (typed arrays, so the
 * diff of two multi-million-node snapshots allocates a few arrays rather than millions of map entries).
 * An object whose class changed counts as deleted from the old class and new in the new one, as in
 * DevTools, which diffs each class's sorted id lists (HeapSnapshot.ts calculateDiffForClass). O(nodes).
 */
export function diffHeapObjectTables(base: HeapObjectTable, target: HeapObjectTable): HeapDiff {
  // Classes are matched by name across the two snapshots.
  const names: string[] = []
  const byName = new Map<string, number>()
  const unify = (list: string[]): Int32Array => {
    const out = new Int32Array(list.length)
    list.forEach((name, k) => {
      let c = byName.get(name)
      if (c === undefined) {
        c = names.length
        names.push(name)
        byName.set(name, c)
      }
      out[k] = c
    })
    return out
  }
  const baseClass = unify(base.classNames)
  const targetClass = unify(target.classNames)
  const classCount = names.length
  const newCount = new Float64Array(classCount)
  const deletedCount = new Float64Array(classCount)
  const allocSize = new Float64Array(classCount)
  const freedSize = new Float64Array(classCount)
  const baseCount = new Float64Array(classCount)
  const targetCount = new Float64Array(classCount)

  let bits = 4
  while (1 << bits < base.nodeCount * 2) bits++
  const mask = (1 << bits) - 1
  const slots = new Int32Array(1 << bits).fill(-1)
  const hash = (id: number): number => Math.imul(id, 0x9e3779b1) >>> (32 - bits)
  for (let b = 0; b < base.nodeCount; b++) {
    baseCount[baseClass[base.classOfNode[b] as number] as number]! += 1
    let h = hash(base.ids[b] as number)
    while (slots[h] !== -1) h = (h + 1) & mask
    slots[h] = b
  }

  const matched = new Uint8Array(base.nodeCount)
  let matchedCount = 0
  for (let t = 0; t < target.nodeCount; t++) {
    const id = target.ids[t] as number
    const c = targetClass[target.classOfNode[t] as number] as number
    targetCount[c]! += 1
    let found = -1
    for (let h = hash(id); ; h = (h + 1) & mask) {
      const b = slots[h] as number
      if (b === -1) break
      // Ids are unique within a snapshot; a repeated one (a corrupt file) matches one object at most.
      if (base.ids[b] === id && matched[b] === 0 && baseClass[base.classOfNode[b] as number] === c) {
        found = b
        break
      }
    }
    if (found >= 0) {
      matched[found] = 1
      matchedCount++
    } else {
      newCount[c]! += 1
      allocSize[c]! += target.selfSizes[t] as number
    }
  }
  for (let b = 0; b < base.nodeCount; b++) {
    if (matched[b] === 1) continue
    const c = baseClass[base.classOfNode[b] as number] as number
    deletedCount[c]! += 1
    freedSize[c]! += base.selfSizes[b] as number
  }

  const classes: HeapDiffClass[] = []
  const totals = { newCount: 0, deletedCount: 0, allocSizeBytes: 0, freedSizeBytes: 0, deltaSizeBytes: 0 }
  for (let c = 0; c < classCount; c++) {
    const added = newCount[c] as number
    const deleted = deletedCount[c] as number
    if (added === 0 && deleted === 0) continue
    const alloc = allocSize[c] as number
    const freed = freedSize[c] as number
    classes.push({
      name: names[c] as string,
      newCount: added,
      deletedCount: deleted,
      deltaCount: added - deleted,
      allocSizeBytes: alloc,
      freedSizeBytes: freed,
      deltaSizeBytes: alloc - freed,
      baseCount: baseCount[c] as number,
      targetCount: targetCount[c] as number,
    })
    totals.newCount += added
    totals.deletedCount += deleted
    totals.allocSizeBytes += alloc
    totals.freedSizeBytes += freed
  }
  totals.deltaSizeBytes = totals.allocSizeBytes - totals.freedSizeBytes
  classes.sort(
    (a, b) => b.deltaSizeBytes - a.deltaSizeBytes || b.deltaCount - a.deltaCount || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  )

  const sum = (sizes: Uint32Array): number => {
    let s = 0
    for (let k = 0; k < sizes.length; k++) s += sizes[k] as number
    return s
  }
  const warnings: string[] = []
  // Objects keep their id for the life of a process; two snapshots sharing almost none come from different
  // processes (or a restart), where #new and #deleted are just the two populations.
  if (matchedCount < 0.01 * Math.min(base.nodeCount, target.nodeCount)) {
    warnings.push(
      `only ${matchedCount} of ${target.nodeCount} objects match by id: the snapshots look like different processes, so #new and #deleted ` +
        'are whole populations; the deltas (count and size) are still the difference between the two heaps',
    )
  }
  return {
    base: { nodeCount: base.nodeCount, totalSelfSizeBytes: sum(base.selfSizes) },
    target: { nodeCount: target.nodeCount, totalSelfSizeBytes: sum(target.selfSizes) },
    matchedCount,
    classes,
    totals,
    warnings,
  }
}

/** Diffs two parsed snapshots (both in memory; the Node side diffs files through object tables instead). */
export function diffHeapSnapshots(base: HeapSnapshot, target: HeapSnapshot): HeapDiff {
  return diffHeapObjectTables(computeHeapObjectTable(base), computeHeapObjectTable(target))
}
