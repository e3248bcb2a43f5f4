/**
 * The heap summary of one snapshot, as Chrome DevTools' Summary and Statistics views show it: objects
 * grouped by class with counts, shallow and retained sizes, the split of memory by kind, and the shortest
 * retaining paths of the biggest classes.
 */
import type { Bytes } from '../model/units.js'
import { type HeapObjectId, type HeapSnapshot, type NodeOrdinal, sumSelfSizes } from '../model/heap.js'
import { type HeapDominators, computeDominatorChildren, computeEssentialEdges, computeHeapDominators } from './dominators.js'
import { type RetainerPath, computeShortestRetainers, getRetainerPath } from './retainers.js'

/** Each node's class (an index into `names`), DevTools' grouping for the Summary view. */
export interface HeapClassIndex {
  /** Class index per node ordinal. */
  classOfNode: Uint32Array
  /** Class names, indexed by class index. */
  names: string[]
}

/**
 * Classes as DevTools' Summary view groups them (JSHeapSnapshotNode.className in DevTools before its
 * 2024 renames): objects and native objects by their name (the constructor name; `<div id=x>` becomes
 * `<div>`), "hidden" nodes as `(system)`, code as `(compiled code)`, and every other type as `(type)`:
 * `(string)`, `(concatenated string)`, `(sliced string)`, `(array)`, `(closure)`, `(regexp)`, `(number)`,
 * `(synthetic)`, `(symbol)`, `(bigint)`, `(object shape)`. O(nodes).
 */
export function computeClassIndex(snapshot: HeapSnapshot): HeapClassIndex {
  const { nodes, strings, nodeTypes } = snapshot
  const nodeCount = nodes.length
  const names: string[] = []
  const byName = new Map<string, number>()
  const intern = (name: string): number => {
    let index = byName.get(name)
    if (index === undefined) {
      index = names.length
      names.push(name)
      byName.set(name, index)
    }
    return index
  }
  const object = nodeTypes.indexOf('object')
  const native = nodeTypes.indexOf('native')
  const classOfType = nodeTypes.map((type) => {
    if (type === 'object' || type === 'native') return -1
    if (type === 'hidden') return intern('(system)')
    if (type === 'code') return intern('(compiled code)')
    return intern(`(${type})`)
  })
  // Object names repeat (one string per constructor): map each string index once.
  const classOfString = new Int32Array(strings.length).fill(-1)
  const classOfNode = new Uint32Array(nodeCount)
  for (let v = 0; v < nodeCount; v++) {
    const type = nodes.type[v] as number
    if (type !== object && type !== native) {
      classOfNode[v] = classOfType[type] as number
      continue
    }
    const nameIndex = nodes.name[v] as number
    let c = classOfString[nameIndex] as number
    if (c === -1) {
      c = intern(objectClassName(strings[nameIndex] ?? ''))
      classOfString[nameIndex] = c
    }
    classOfNode[v] = c
  }
  return { classOfNode, names }
}

/** DOM wrappers are named like `<div id="a">` or `Detached <div class=x>`; DevTools groups them by tag. */
function objectClassName(name: string): string {
  if (name.startsWith('<')) {
    const space = name.indexOf(' ')
    return space === -1 ? name : `${name.slice(0, space)}>`
  }
  if (name.startsWith('Detached <')) {
    const space = name.indexOf(' ', 10)
    return space === -1 ? name : `${name.slice(0, space)}>`
  }
  return name
}

/**
 * Where the memory goes, by kind, as DevTools' Statistics view splits it (JSHeapSnapshot.calculateStatistics),
 * on V8's own self sizes. All in bytes. The seven parts from `codeBytes` to `otherNonJsBytes` add up to `totalBytes`.
 * (Recent DevTools first moves the sizes of internal arrays and hidden objects that have a single owner onto
 * that owner, calculateShallowSizes; Hotpath keeps V8's sizes, as DevTools did before, so "System objects"
 * reads larger here and every class's shallow size is what V8 measured.)
 */
export interface HeapStatistics {
  /** Every node's self size plus the embedder's extra native bytes. */
  totalBytes: Bytes
  /** Nodes inside the V8 heap (everything but native nodes and extra native bytes). */
  v8HeapBytes: Bytes
  /** Native nodes (outside the V8 heap) plus extra native bytes. */
  nativeBytes: Bytes
  /** Compiled code and bytecode (`code` nodes). */
  codeBytes: Bytes
  /** Strings of all representations (flat, concatenated, sliced). */
  stringsBytes: Bytes
  /** JS arrays (`Array` objects) plus the element stores only they hold. */
  jsArraysBytes: Bytes
  /** ArrayBuffer backing stores (`system / JSArrayBufferData` native nodes). */
  typedArraysBytes: Bytes
  /** V8 internal objects (`hidden` nodes). */
  systemBytes: Bytes
  /** The rest of the V8 heap: ordinary JS objects, closures, arrays' internals, numbers... */
  otherJsBytes: Bytes
  /** Native memory other than ArrayBuffer backing stores. */
  otherNonJsBytes: Bytes
  /** Memory the embedder reports outside the graph (`snapshot.extra_native_bytes`; Chrome only). */
  extraNativeBytes: Bytes
}

/** O(nodes + edges). */
export function computeHeapStatistics(snapshot: HeapSnapshot): HeapStatistics {
  const { nodes, edges, strings } = snapshot
  const { firstEdge } = nodes
  const nodeCount = nodes.length
  const t = (name: string): number => snapshot.nodeTypes.indexOf(name)
  const hidden = t('hidden')
  const native = t('native')
  const code = t('code')
  const string = t('string')
  const consString = t('concatenated string')
  const slicedString = t('sliced string')
  const object = t('object')
  const internal = snapshot.edgeTypes.indexOf('internal')
  const arrayName = strings.indexOf('Array')
  const bufferDataName = strings.indexOf('system / JSArrayBufferData')
  const elementsName = strings.indexOf('elements')

  // DevTools counts an Array's element store with the array when the array is its only retainer (any edge
  // type counts as a retainer there), so the stores' retainer counts are needed, saturating at 2.
  const storeOfArray: number[] = []
  const isStore = new Uint8Array(arrayName >= 0 && elementsName >= 0 ? nodeCount : 0)
  if (isStore.length > 0) {
    for (let v = 0; v < nodeCount; v++) {
      if (nodes.type[v] !== object || nodes.name[v] !== arrayName) continue
      let store = -1
      for (let e = firstEdge[v] as number, end = firstEdge[v + 1] as number; e < end; e++) {
        if (edges.type[e] === internal && edges.nameOrIndex[e] === elementsName) {
          store = edges.toNode[e] as number
          break
        }
      }
      storeOfArray.push(v, store)
      if (store >= 0) isStore[store] = 1
    }
  }
  const storeRetainers = new Uint8Array(isStore.length)
  if (isStore.length > 0) {
    for (let e = 0; e < edges.length; e++) {
      const w = edges.toNode[e] as number
      if (isStore[w] === 1 && (storeRetainers[w] as number) < 2) storeRetainers[w]! += 1
    }
  }

  let sizeNative = snapshot.meta.extraNativeBytes
  let sizeTypedArrays = 0
  let sizeCode = 0
  let sizeStrings = 0
  let sizeSystem = 0
  let sizeAll = 0
  for (let v = 0; v < nodeCount; v++) {
    const size = nodes.selfSize[v] as number
    const type = nodes.type[v] as number
    sizeAll += size
    if (type === hidden) sizeSystem += size
    else if (type === native) {
      sizeNative += size
      if (nodes.name[v] === bufferDataName) sizeTypedArrays += size
    } else if (type === code) sizeCode += size
    else if (type === string || type === consString || type === slicedString) sizeStrings += size
  }
  let sizeJsArrays = 0
  for (let k = 0; k < storeOfArray.length; k += 2) {
    const v = storeOfArray[k] as number
    const store = storeOfArray[k + 1] as number
    sizeJsArrays += nodes.selfSize[v] as number
    if (store >= 0 && storeRetainers[store] === 1) sizeJsArrays += nodes.selfSize[store] as number
  }
  const total = sizeAll + snapshot.meta.extraNativeBytes
  const v8Heap = total - sizeNative
  return {
    totalBytes: total,
    v8HeapBytes: v8Heap,
    nativeBytes: sizeNative,
    codeBytes: sizeCode,
    stringsBytes: sizeStrings,
    jsArraysBytes: sizeJsArrays,
    typedArraysBytes: sizeTypedArrays,
    systemBytes: sizeSystem,
    otherJsBytes: v8Heap - sizeCode - sizeStrings - sizeJsArrays - sizeSystem,
    otherNonJsBytes: sizeNative - sizeTypedArrays,
    extraNativeBytes: snapshot.meta.extraNativeBytes,
  }
}

/** One row of the class histogram. */
export interface HeapClassSummary {
  name: string
  /** Nodes of this class (every node counts, including those of size 0). */
  count: number
  /** Sum of the instances' self sizes, in bytes. */
  shallowSizeBytes: Bytes
  /**
   * What freeing every instance would free, in bytes: the retained sizes of the instances that no other
   * instance of the class dominates (DevTools' rule, calculateClassesRetainedSize), so nested instances
   * are not counted twice. Instances of size 0 (synthetic nodes) are left out, as in DevTools.
   */
  retainedSizeBytes: Bytes
  /** The instance with the largest retained size, and that size in bytes. */
  largestInstance: HeapInstanceRef
  /**
   * The largest instances by retained size, descending (at most LARGEST_INSTANCES; the first is
   * `largestInstance`), for the first LARGEST_INSTANCE_CLASSES classes of the histogram with more than
   * one instance: what a drill-down from a class row lists.
   */
  largestInstances?: HeapInstanceRef[]
}

export interface HeapInstanceRef {
  nodeOrdinal: NodeOrdinal
  nodeId: HeapObjectId
  retainedSizeBytes: Bytes
}

/** Instances kept per class for the drill-down. */
export const LARGEST_INSTANCES = 5
/** Classes (in histogram order) that keep their largest instances; the rest keep only the largest one. */
export const LARGEST_INSTANCE_CLASSES = 300

/** The class histogram, sorted by retained size, then shallow size, descending (ties by name). O(nodes). */
export function computeClassHistogram(snapshot: HeapSnapshot, classes: HeapClassIndex, dominators: HeapDominators): HeapClassSummary[] {
  const { nodes } = snapshot
  const nodeCount = nodes.length
  const classCount = classes.names.length
  const count = new Float64Array(classCount)
  const shallow = new Float64Array(classCount)
  // Per class, its K largest instances by retained size, descending, in slots c*K … c*K+K-1 (-1: empty).
  // An insertion into a K-slot list; a node smaller than the class's K-th costs one comparison.
  const K = LARGEST_INSTANCES
  const top = new Int32Array(classCount * K).fill(-1)
  const { retainedSizes } = dominators
  for (let v = 0; v < nodeCount; v++) {
    const c = classes.classOfNode[v] as number
    count[c] = (count[c] as number) + 1
    shallow[c] = (shallow[c] as number) + (nodes.selfSize[v] as number)
    const size = retainedSizes[v] as number
    const base = c * K
    const last = top[base + K - 1] as number
    if (last !== -1 && size <= (retainedSizes[last] as number)) continue
    let k = K - 1
    while (k > 0) {
      const above = top[base + k - 1] as number
      if (above !== -1 && size <= (retainedSizes[above] as number)) break
      top[base + k] = above
      k--
    }
    top[base + k] = v
  }
  const retained = computeClassRetainedSizes(snapshot, classes, dominators)
  const ref = (v: number): HeapInstanceRef => ({ nodeOrdinal: v, nodeId: nodes.id[v] as number, retainedSizeBytes: retainedSizes[v] as number })
  const rows: (HeapClassSummary & { classIndex: number })[] = []
  for (let c = 0; c < classCount; c++) {
    if (count[c] === 0) continue
    rows.push({
      classIndex: c,
      name: classes.names[c] as string,
      count: count[c] as number,
      shallowSizeBytes: shallow[c] as number,
      retainedSizeBytes: retained[c] as number,
      largestInstance: ref(top[c * K] as number),
    })
  }
  rows.sort(
    (a, b) =>
      b.retainedSizeBytes - a.retainedSizeBytes ||
      b.shallowSizeBytes - a.shallowSizeBytes ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  )
  return rows.map(({ classIndex, ...row }, i) => {
    if (i >= LARGEST_INSTANCE_CLASSES || row.count < 2) return row
    const list: HeapInstanceRef[] = []
    for (let k = 0; k < K; k++) {
      const v = top[classIndex * K + k] as number
      if (v !== -1) list.push(ref(v))
    }
    return { ...row, largestInstances: list }
  })
}

/**
 * Per class, the sum of the retained sizes of its instances that have no other instance of the class
 * above them in the dominator tree (only instances with a non-zero self size count, as in DevTools).
 * A depth-first walk of the dominator tree that keeps, per class, how many counted instances are on the
 * current path. O(nodes).
 */
export function computeClassRetainedSizes(snapshot: HeapSnapshot, classes: HeapClassIndex, dominators: HeapDominators): Float64Array {
  const { nodes } = snapshot
  const nodeCount = nodes.length
  const { first, children } = computeDominatorChildren(dominators.tree)
  const retained = new Float64Array(classes.names.length)
  const onPath = new Uint8Array(classes.names.length)
  // Entries >= 0 are nodes to enter; ~v (negative) marks the exit of v, whose class was marked on entry.
  // The stack holds at most every node plus one marker per tree level; it grows on demand, as dominator
  // trees are usually wide and shallow.
  let stack = new Int32Array(Math.min(2 * nodeCount + 1, 1 << 16))
  let top = 0
  stack[top++] = snapshot.meta.rootOrdinal
  while (top > 0) {
    const item = stack[--top] as number
    if (item < 0) {
      onPath[classes.classOfNode[~item] as number] = 0
      continue
    }
    const c = classes.classOfNode[item] as number
    const from = first[item] as number
    const to = first[item + 1] as number
    if (top + (to - from) + 1 > stack.length) {
      const grown = new Int32Array(Math.max(2 * stack.length, top + (to - from) + 1))
      grown.set(stack.subarray(0, top))
      stack = grown
    }
    if (onPath[c] === 0 && (nodes.selfSize[item] as number) > 0) {
      retained[c] = (retained[c] as number) + (dominators.retainedSizes[item] as number)
      if (to > from) {
        onPath[c] = 1
        stack[top++] = ~item
      }
    }
    for (let k = from; k < to; k++) stack[top++] = children[k] as number
  }
  return retained
}

/** A class's largest instance and the shortest path that keeps it alive. */
export interface ClassRetainerPath {
  className: string
  nodeId: HeapObjectId
  retainedSizeBytes: Bytes
  path: RetainerPath
  /** The class's largest instances (the first is the one above), each with its shortest retaining path. */
  instances?: InstanceRetainerPath[]
}

/** One instance and the shortest path that keeps it alive. */
export interface InstanceRetainerPath {
  nodeId: HeapObjectId
  retainedSizeBytes: Bytes
  path: RetainerPath
}

/** Everything `hotpath heap` and the Heap view show about one snapshot. Plain data. */
export interface HeapSummary {
  nodeCount: number
  edgeCount: number
  stringCount: number
  /** Sum of all nodes' self sizes, in bytes (equals the root's retained size). */
  totalSelfSizeBytes: Bytes
  statistics: HeapStatistics
  /** Nodes no retaining path from the root reaches (they hang from weak references only, or from cycles among themselves). */
  unreachableNodeCount: number
  /** Every class, by retained size descending. */
  classes: HeapClassSummary[]
  /** Retaining paths of the largest instances of the top classes by retained size. */
  retainerPaths: ClassRetainerPath[]
}

export interface SummarizeHeapOptions {
  /** How many of the top classes (by retained size) get a retaining path; default 10. */
  retainerPathCount?: number
  /**
   * Called as each step starts, for progress reporting. Each step's scratch arrays are garbage by the time
   * the next one starts, so a caller that can force a garbage collection does it here to keep the peak low.
   */
  onPhase?: (phase: 'edges' | 'dominators' | 'classes' | 'statistics' | 'retainers') => void
}

/** The whole summary. O((nodes + edges) log nodes) for the dominators, linear otherwise. */
export function summarizeHeap(snapshot: HeapSnapshot, options: SummarizeHeapOptions = {}): HeapSummary {
  const phase = options.onPhase ?? (() => undefined)
  phase('edges')
  const essential = computeEssentialEdges(snapshot)
  phase('dominators')
  const dominators = computeHeapDominators(snapshot, essential)
  phase('classes')
  const classes = computeClassIndex(snapshot)
  const histogram = computeClassHistogram(snapshot, classes, dominators)
  phase('statistics')
  const statistics = computeHeapStatistics(snapshot)
  phase('retainers')
  const retainers = computeShortestRetainers(snapshot)
  const classNameOf = (v: NodeOrdinal): string => classes.names[classes.classOfNode[v] as number] as string
  const pathCount = options.retainerPathCount ?? 10
  const retainerPaths: ClassRetainerPath[] = []
  for (const row of histogram) {
    if (retainerPaths.length >= pathCount) break
    // The root and the GC root categories retain everything; a path to them says nothing.
    if (row.largestInstance.nodeOrdinal === snapshot.meta.rootOrdinal || row.name === '(synthetic)') continue
    const path = getRetainerPath(snapshot, retainers, row.largestInstance.nodeOrdinal, classNameOf)
    const instances = (row.largestInstances ?? []).map((x, k) => ({
      nodeId: x.nodeId,
      retainedSizeBytes: x.retainedSizeBytes,
      path: k === 0 ? path : getRetainerPath(snapshot, retainers, x.nodeOrdinal, classNameOf),
    }))
    retainerPaths.push({
      className: row.name,
      nodeId: row.largestInstance.nodeId,
      retainedSizeBytes: row.largestInstance.retainedSizeBytes,
      path,
      ...(instances.length > 1 ? { instances } : {}),
    })
  }
  return {
    nodeCount: snapshot.nodes.length,
    edgeCount: snapshot.edges.length,
    stringCount: snapshot.strings.length,
    totalSelfSizeBytes: sumSelfSizes(snapshot),
    statistics,
    unreachableNodeCount: dominators.tree.unreachableCount,
    classes: histogram,
    retainerPaths,
  }
}
