/**
 * Imports V8 sampling heap profiles (`.heapprofile`, as written by `node --heap-prof` and DevTools'
 * "Allocation sampling") into the same CallTree shape as CPU profiles, in bytes instead of ms.
 */
import { createFrameCategorizer } from '../analysis/categories.js'
import { type CallTree, createCallTreeBuilder, createFunctionInterner, finishCallTree } from '../model/call-tree.js'
import type { Bytes } from '../model/units.js'
import { type CpuProfileCallFrame, frameIdentity } from './cpuprofile.js'
import { validateHeapProfile } from './validate.js'

/*
 * Minimal copies of the DevTools Protocol's HeapProfiler.SamplingHeapProfileNode,
 * SamplingHeapProfileSample and SamplingHeapProfile (npm `devtools-protocol`), not a dependency.
 */

/** HeapProfiler.SamplingHeapProfileNode: one allocation call path. */
export interface HeapProfileNode {
  callFrame: CpuProfileCallFrame
  /** Bytes allocated by this call path itself (V8 scales the samples up to an estimate of all allocations). */
  selfSize: Bytes
  /** Absent in profiles from V8 before 7.x (Node 10, Chrome before ~75), which also have no samples. */
  id?: number
  children: HeapProfileNode[]
}

/** HeapProfiler.SamplingHeapProfileSample: one sampled allocation. */
export interface HeapProfileSample {
  /** Size of the sampled allocation, in bytes. */
  size: Bytes
  nodeId: number
  /** Order of the sample among all samples (monotonic, not a time). */
  ordinal: number
}

/** HeapProfiler.SamplingHeapProfile. */
export interface HeapProfileRaw {
  head: HeapProfileNode
  /** Absent in profiles from old Chrome versions. */
  samples?: HeapProfileSample[]
}

/** Cheap structural check: a `head` node with a callFrame, selfSize and children. */
export function isHeapProfile(x: unknown): x is HeapProfileRaw {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false
  const head = (x as Record<string, unknown>).head as Record<string, unknown> | null
  return (
    typeof head === 'object' &&
    head !== null &&
    typeof head.callFrame === 'object' &&
    head.callFrame !== null &&
    typeof head.selfSize === 'number' &&
    Array.isArray(head.children)
  )
}

/**
 * Imports a parsed `.heapprofile` into a CallTree whose values are bytes (selfSize, V8's estimate of
 * the bytes allocated by each call path) and whose sample counts are the sampled allocations per node.
 * Sibling nodes of the same function are merged. Samples whose node is missing are counted in
 * meta.unmatchedSamples. Throws a ProfileFormatError naming the problem.
 */
export function importHeapProfile(input: unknown): CallTree {
  validateHeapProfile(input)
  const head = input.head
  const interner = createFunctionInterner()
  const categorize = createFrameCategorizer()
  // The head is the first function interned, so the root's function index is 0.
  const builder = createCallTreeBuilder(0)
  const treeNodeById = new Map<number, number>()
  // Old V8 wrote nodes without ids (and no samples, which would need them): such nodes get ids of their own.
  let anonymousId = -1

  // Iterative walk: allocation stacks can be thousands of frames deep.
  const stack: { node: unknown; parent: number }[] = [{ node: head, parent: -1 }]
  while (stack.length > 0) {
    const { node, parent } = stack.pop() as { node: unknown; parent: number }
    // validateHeapProfile checked every field read below.
    const n = node as Record<string, unknown>
    const id = n.id === undefined ? anonymousId-- : (n.id as number)
    const callFrame = n.callFrame as CpuProfileCallFrame
    const func = interner.intern(frameIdentity(callFrame), categorize(callFrame.functionName, callFrame.url, callFrame.codeType))
    const treeNode = parent < 0 ? 0 : builder.child(parent, func)
    treeNodeById.set(id, treeNode)
    builder.addSelf(treeNode, n.selfSize as number, 0)
    const children = n.children as unknown[]
    for (let c = children.length - 1; c >= 0; c--) stack.push({ node: children[c], parent: treeNode })
  }

  const samples = (input as unknown as Record<string, unknown>).samples
  let sampleCount = 0
  // V8 also lists samples of allocations made while the profile was being written (the last ordinals;
  // seen in Node 20's --heap-prof output) whose nodes are not in the tree. selfSize leaves them out too,
  // so they are counted in meta.unmatchedSamples and otherwise ignored rather than rejected.
  let unmatched = 0
  if (samples !== undefined) {
    const list = samples as unknown[]
    for (let i = 0; i < list.length; i++) {
      const s = list[i] as Record<string, unknown>
      const node = treeNodeById.get((s as Record<string, unknown>).nodeId as number)
      if (node === undefined) unmatched++
      else builder.addSelf(node, 0, 1)
    }
    sampleCount = list.length
  }
  return finishCallTree(builder, interner.identities, {
    unit: 'bytes',
    meta: unmatched > 0 ? { sampleCount, unmatchedSamples: unmatched } : { sampleCount },
  })
}
