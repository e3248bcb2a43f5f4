/**
 * Imports V8 sampling heap profiles (`.heapprofile`, as written by `node --heap-prof` and DevTools'
 * "Allocation sampling") into the same CallTree shape as CPU profiles, in bytes instead of ms.
 */
import { categorizeFrame } from '../analysis/categories.js'
import { type CallTree, createCallTreeBuilder, createFunctionInterner, finishCallTree } from '../model/call-tree.js'
import type { Bytes } from '../model/units.js'
import { type CpuProfileCallFrame, ProfileFormatError, frameIdentity } from './cpuprofile.js'

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

const fail = (message: string): never => {
  throw new ProfileFormatError(`heap profile: ${message}`)
}

/**
 * Imports a parsed `.heapprofile` into a CallTree whose values are bytes (selfSize, V8's estimate of
 * the bytes allocated by each call path) and whose sample counts are the sampled allocations per node.
 * Sibling nodes of the same function are merged. Samples whose node is missing are counted in
 * meta.unmatchedSamples. Throws a ProfileFormatError naming the problem.
 */
export function importHeapProfile(input: unknown): CallTree {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail('expected a JSON object')
  const head = (input as Record<string, unknown>).head
  if (typeof head !== 'object' || head === null) fail('no `head` node (is this a .heapprofile file?)')
  const interner = createFunctionInterner()
  // The head is the first function interned, so the root's function index is 0.
  const builder = createCallTreeBuilder(0)
  const treeNodeById = new Map<number, number>()
  // Old V8 wrote nodes without ids (and no samples, which would need them): such nodes get ids of their own.
  let anonymousId = -1

  // Iterative walk: allocation stacks can be thousands of frames deep.
  const stack: { node: unknown; parent: number; path: string }[] = [{ node: head, parent: -1, path: 'head' }]
  while (stack.length > 0) {
    const { node, parent, path } = stack.pop() as { node: unknown; parent: number; path: string }
    if (typeof node !== 'object' || node === null) fail(`${path} is not an object`)
    const n = node as Record<string, unknown>
    if (n.id !== undefined && !Number.isInteger(n.id)) fail(`${path}: \`id\` must be an integer`)
    const id = n.id === undefined ? anonymousId-- : (n.id as number)
    if (treeNodeById.has(id)) fail(`node id ${id} appears twice`)
    const cf = n.callFrame as Record<string, unknown> | null
    if (typeof cf !== 'object' || cf === null) fail(`node id ${id} has no \`callFrame\` object`)
    const frame = cf as Record<string, unknown>
    if (typeof frame.functionName !== 'string' || typeof frame.url !== 'string') {
      fail(`node id ${id}: callFrame.functionName and url must be strings`)
    }
    if (!Number.isInteger(frame.lineNumber) || !Number.isInteger(frame.columnNumber)) {
      fail(`node id ${id}: callFrame.lineNumber and columnNumber must be integers`)
    }
    if (typeof n.selfSize !== 'number' || !Number.isFinite(n.selfSize) || n.selfSize < 0) {
      fail(`node id ${id}: selfSize must be a non-negative number of bytes`)
    }
    if (!Array.isArray(n.children)) fail(`node id ${id}: children must be an array of nodes`)
    const callFrame = frame as unknown as CpuProfileCallFrame
    const func = interner.intern(frameIdentity(callFrame), categorizeFrame(callFrame.functionName, callFrame.url))
    const treeNode = parent < 0 ? 0 : builder.child(parent, func)
    treeNodeById.set(id, treeNode)
    builder.addSelf(treeNode, n.selfSize as number, 0)
    const children = n.children as unknown[]
    for (let c = children.length - 1; c >= 0; c--) stack.push({ node: children[c], parent: treeNode, path: `child ${c} of node id ${id}` })
  }

  const samples = (input as Record<string, unknown>).samples
  let sampleCount = 0
  // V8 also lists samples of allocations made while the profile was being written (the last ordinals;
  // seen in Node 20's --heap-prof output) whose nodes are not in the tree. selfSize leaves them out too,
  // so they are counted in meta.unmatchedSamples and otherwise ignored rather than rejected.
  let unmatched = 0
  if (samples !== undefined) {
    if (!Array.isArray(samples)) fail('`samples` must be an array')
    const list = samples as unknown[]
    for (let i = 0; i < list.length; i++) {
      const s = list[i] as Record<string, unknown> | null
      if (typeof s !== 'object' || s === null || typeof s.size !== 'number' || !Number.isInteger(s.nodeId)) {
        fail(`sample ${i} must be an object with numeric size and nodeId`)
      }
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
