/**
 * Imports V8 `.cpuprofile` files (Chrome DevTools' Profiler.Profile, as written by `node --cpu-prof`)
 * into a CallTree in milliseconds, validating the file thoroughly and attributing time the way the
 * DevTools Performance panel does (CPUProfileDataModel).
 */
import { createFrameCategorizer } from '../analysis/categories.js'
import {
  type CallTree,
  type CallTreeBuilder,
  type FinishOptions,
  type FrameIdentity,
  type FunctionInterner,
  createCallTreeBuilder,
  createFunctionInterner,
  finishCallTree,
} from '../model/call-tree.js'
import { type LineTickCollector, createLineTickCollector } from '../model/line-ticks.js'
import type { Microseconds } from '../model/units.js'
import { placeRawTree } from '../model/call-tree-passes.js'
import { type SamplePasses, createSamplePasses } from './cpuprofile-samples.js'
import { checkCpuProfile } from './validate.js'

/*
 * The raw types are minimal copies of the Chrome DevTools Protocol's `Runtime.CallFrame`,
 * `Profiler.ProfileNode`, `Profiler.PositionTickInfo` and `Profiler.Profile` (npm `devtools-protocol`,
 * types/protocol.d.ts). The package is not a dependency: these few fields are all we read.
 */

/** Runtime.CallFrame: where a function is. Line and column are 0-based; -1 when unknown. */
export interface CpuProfileCallFrame {
  functionName: string
  /** V8's id for the script within one isolate: differs between runs, so never part of a function's identity. */
  scriptId: string
  url: string
  lineNumber: number
  columnNumber: number
  /** `JS` or `other`: written by Chrome's traces and DevTools, not by Node (see categorizeFrame). */
  codeType?: string
}

/** Profiler.PositionTickInfo: samples per source line of a node. */
export interface CpuProfilePositionTick {
  line: number
  ticks: number
}

/** Profiler.ProfileNode: one call path of the profile tree. */
export interface CpuProfileNode {
  id: number
  callFrame: CpuProfileCallFrame
  /** Samples whose stack ended at this node. */
  hitCount?: number
  /** Ids of the child nodes. */
  children?: number[]
  deoptReason?: string
  positionTicks?: CpuProfilePositionTick[]
  /** Chrome trace profiles give a parent id instead of `children`. */
  parent?: number
}

/** Profiler.Profile: the node tree plus the samples in time order. */
export interface CpuProfileRaw {
  nodes: CpuProfileNode[]
  /** Start of the profile, in microseconds of V8's monotonic clock. */
  startTime: Microseconds
  /** End of the profile, in microseconds. */
  endTime: Microseconds
  /** Node id of the top of the stack, one per sample. */
  samples?: number[]
  /** Microseconds from the previous sample (from startTime for the first); same length as samples. */
  timeDeltas?: Microseconds[]
}

export { ProfileFormatError } from './validate.js'

/**
 * A cheap structural check (speedscope's `isChromeTimeline` idea): a non-empty `nodes` array whose first
 * node has a callFrame, and numeric startTime/endTime. importCpuProfile validates everything else.
 */
export function isCpuProfile(x: unknown): x is CpuProfileRaw {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false
  const p = x as Record<string, unknown>
  if (!Array.isArray(p.nodes) || p.nodes.length === 0) return false
  const first = p.nodes[0] as Record<string, unknown> | null
  return (
    typeof first === 'object' &&
    first !== null &&
    typeof first.callFrame === 'object' &&
    first.callFrame !== null &&
    typeof p.startTime === 'number' &&
    typeof p.endTime === 'number'
  )
}

/** How DevTools-specific corrections are applied; both default to true (DevTools' behaviour). */
export interface CpuProfileImportOptions {
  /**
   * Replace a single `(program)` sample between two samples under the same top-level frame by the
   * sample before it (V8 sometimes fails to walk the JS stack and records `(program)` instead).
   */
  fixProgramSamples?: boolean
  /** Put each `(garbage collector)` sample on top of the stack of the sample before it. */
  gcOnPreviousStack?: boolean
}

export { rootAndOrder, validateCpuProfile } from './validate.js'

/** A callFrame's identity with 1-based positions (V8 writes 0-based, -1 for unknown). */
export function frameIdentity(cf: CpuProfileCallFrame): FrameIdentity {
  return {
    name: cf.functionName,
    url: cf.url,
    line: cf.lineNumber >= 0 ? cf.lineNumber + 1 : 0,
    column: cf.columnNumber >= 0 ? cf.columnNumber + 1 : 0,
  }
}

/**
 * Imports a parsed `.cpuprofile` into a CallTree in milliseconds.
 *
 * Time attribution follows Chrome DevTools' CPUProfileDataModel (front_end/models/cpu_profile/
 * CPUProfileDataModel.ts), which the Performance panel's flame chart and bottom-up table use:
 * - timestamps are startTime plus the running sum of timeDeltas; samples are sorted by timestamp when
 *   deltas are negative (`sortSamples`);
 * - each sample owns the interval to the next sample's timestamp (its duration is timeDeltas[i+1]);
 * - the last sample owns the mean interval, (t_last − t_first) / (n − 1) (`normalizeTimestamps` appends
 *   one such timestamp); with a single sample it owns endTime − t_first;
 * - time before the first sample is attributed to nothing, so the root total is
 *   t_last − t_first + one mean interval, a little under endTime − startTime;
 * - `(idle)` and `(program)` are kept as root-level functions (drop idle with transforms.dropIdle); a
 *   single `(program)` sample between two samples under the same top-level frame, neither of them
 *   `(program)`, `(idle)` or `(garbage collector)`, becomes the sample before it (`fixMissingSamples`);
 * - `(garbage collector)` samples are placed on top of the stack of the sample before them, as the
 *   Performance panel draws them (`forEachFrame`), so a function's total includes the GC it triggered.
 * DevTools' older JavaScript Profiler panel instead gives every sample the same duration
 * ((endTime − startTime) / sample count); we use that rule only for profiles without timeDeltas, and
 * hitCount × that duration for profiles without samples.
 *
 * Sibling nodes of the same function (V8 splits them by caller line or code kind) are merged.
 */
export function importCpuProfile(input: unknown, options: CpuProfileImportOptions = {}): CallTree {
  const { raw, indexById, parent, root, order } = checkCpuProfile(input)
  const interner = createFunctionInterner()
  const categorize = createFrameCategorizer()
  const nodeCount = raw.nodes.length
  const funcOf = new Int32Array(nodeCount)
  for (let i = 0; i < nodeCount; i++) {
    const cf = (raw.nodes[i] as CpuProfileNode).callFrame
    funcOf[i] = interner.intern(frameIdentity(cf), categorize(cf.functionName, cf.url, cf.codeType))
  }
  const lineTicks = createLineTickCollector()
  for (let i = 0; i < nodeCount; i++) lineTicks.add(funcOf[i] as number, (raw.nodes[i] as CpuProfileNode).positionTicks, i)
  const { builder, treeNode, topLevel } = placeRawNodes(funcOf, parent, root, order)
  const samples = raw.samples ?? []
  const n = samples.length
  // Raw node index of every sample, in file order.
  const sampleNode = new Int32Array(n)
  for (let i = 0; i < n; i++) sampleNode[i] = indexById.get(samples[i] as number) as number
  return attributeSamples(
    {
      builder,
      interner,
      nodeCount,
      funcOf,
      treeNode,
      topLevel,
      parent,
      root,
      functionNameOf: (i) => (raw.nodes[i] as CpuProfileNode).callFrame.functionName,
      hitCountOf: (i) => (raw.nodes[i] as CpuProfileNode).hitCount ?? 0,
      lineTicks,
      sampleNode,
      timeDeltas: raw.timeDeltas,
      startTime: raw.startTime,
      endTime: raw.endTime,
    },
    options,
  )
}

/**
 * Puts the raw nodes into a builder in breadth-first `order`: each raw node's builder node, and the
 * top-level frame (child of the root) under which it sits (DevTools' `bottomNode`). Shared by both importers.
 */
export function placeRawNodes(
  funcOf: Int32Array,
  parent: Int32Array,
  root: number,
  order: Int32Array,
): { builder: CallTreeBuilder; treeNode: Int32Array; topLevel: Int32Array } {
  // Placed in WebAssembly (core/model/call-tree-passes.ts), as builder.child() would place them one by one.
  const { treeNode, topLevel, ...placed } = placeRawTree(funcOf, parent, root, order)
  const builder = createCallTreeBuilder(funcOf[root] as number, parent.length, placed)
  return { builder, treeNode, topLevel }
}

/**
 * Sorts samples by timestamp, stably (ties keep file order), moving their nodes along: DevTools'
 * sortSamples. V8's out-of-order samples are few and near their place, so an insertion sort does it in
 * about one pass; when it has moved more than a few times n elements it gives way to a full index sort.
 */
export function sortSamplesByTime(timestamp: Float64Array, sampleNode: Int32Array, passes: SamplePasses = createSamplePasses()): void {
  const n = timestamp.length
  const budget = 8 * n + 1024
  let moves = 0
  let i = 1
  // The next sample out of order is found in WebAssembly (passes.nextDescent); the moves are few.
  for (; i < n && moves <= budget; i++) {
    i = passes.nextDescent(timestamp, i)
    if (i >= n) break
    const t = timestamp[i] as number
    const node = sampleNode[i] as number
    let j = i - 1
    // Strictly greater: equal timestamps keep their file order (a stable sort).
    while (j >= 0 && (timestamp[j] as number) > t) {
      timestamp[j + 1] = timestamp[j] as number
      sampleNode[j + 1] = sampleNode[j] as number
      j--
      moves++
    }
    timestamp[j + 1] = t
    sampleNode[j + 1] = node
  }
  if (i >= n) return
  // Badly out of order: sort the whole index (the prefix is already sorted, which the sort does not mind).
  const idx = Array.from({ length: n }, (_, k) => k).sort((a, b) => (timestamp[a] as number) - (timestamp[b] as number) || a - b)
  const ts = timestamp.slice()
  const sn = sampleNode.slice()
  for (let k = 0; k < n; k++) {
    timestamp[k] = ts[idx[k] as number] as number
    sampleNode[k] = sn[idx[k] as number] as number
  }
}

/** A checked profile with its nodes in the builder: what the sample attribution needs, from either importer. */
export interface AttributionInput {
  builder: CallTreeBuilder
  interner: FunctionInterner
  nodeCount: number
  /** Function of each raw node. */
  funcOf: Int32Array
  /** Builder node of each raw node. */
  treeNode: Int32Array
  /** The top-level frame (child of the root) of each raw node: DevTools' `bottomNode`. */
  topLevel: Int32Array
  parent: Int32Array
  root: number
  functionNameOf(rawNode: number): string
  hitCountOf(rawNode: number): number
  /** The nodes' positionTicks, by function. */
  lineTicks: LineTickCollector
  /** Raw node index of each sample, in file order; overwritten (sorted, fixed) in place. */
  sampleNode: Int32Array
  timeDeltas: ArrayLike<number> | undefined
  startTime: number
  endTime: number
}

/** DevTools' time attribution (see importCpuProfile) from a checked profile; shared by the object and byte importers. */
export function attributeSamples(input: AttributionInput, options: CpuProfileImportOptions = {}): CallTree {
  const { builder, interner, nodeCount, funcOf, treeNode, topLevel, parent, root, sampleNode } = input
  const fixProgram = options.fixProgramSamples ?? true
  const gcOnStack = options.gcOnPreviousStack ?? true
  const rootLevelNamed = (i: number, name: string): boolean => parent[i] === root && input.functionNameOf(i) === name
  const n = sampleNode.length
  const startTime = input.startTime
  const meta: CallTree['meta'] = { sampleCount: n, startTimeUs: input.startTime, endTimeUs: input.endTime }

  if (n === 0) {
    // No samples: DevTools' CPUProfileNode.self = hitCount × (endTime − startTime) / totalHitCount.
    let totalHits = 0
    for (let i = 0; i < nodeCount; i++) totalHits += input.hitCountOf(i)
    const msPerHit = totalHits > 0 ? (input.endTime - input.startTime) / 1000 / totalHits : 0
    for (let i = 0; i < nodeCount; i++) {
      const hits = input.hitCountOf(i)
      if (hits > 0) builder.addSelf(treeNode[i] as number, hits * msPerHit, hits)
    }
    return withLineTicks(finishCallTree(builder, interner.identities, { unit: 'ms', meta, ...builderLineTicks(input) }), input.lineTicks)
  }

  // The per-sample passes run in WebAssembly (core/import/cpuprofile-samples.ts), for the reason given at
  // finishCallTree (core/model/call-tree.ts).
  const timeDeltas = input.timeDeltas
  const passes = createSamplePasses()
  const timestamp = timeDeltas
    ? timestampsFromDeltas(passes, timeDeltas, startTime, sampleNode, meta)
    : evenTimestamps(n, startTime, (input.endTime - startTime) / n)
  // Each sample owns the interval to the next one; the last one the mean interval (see above).
  const first = timestamp[0] as number
  const last = timestamp[n - 1] as number
  const lastDurationUs = !timeDeltas
    ? (input.endTime - startTime) / n
    : n > 1
      ? (last - first) / (n - 1)
      : Math.max(0, input.endTime - first)
  if (n > 1) meta.meanIntervalMs = (last - first) / (n - 1) / 1000
  else meta.meanIntervalMs = lastDurationUs / 1000

  let programIndex = -1
  let gcIndex = -1
  let idleIndex = -1
  for (let i = 0; i < nodeCount; i++) {
    if (parent[i] !== root) continue
    if (programIndex < 0 && rootLevelNamed(i, '(program)')) programIndex = i
    else if (gcIndex < 0 && rootLevelNamed(i, '(garbage collector)')) gcIndex = i
    else if (idleIndex < 0 && rootLevelNamed(i, '(idle)')) idleIndex = i
  }

  if (fixProgram && programIndex >= 0 && n >= 3) passes.fixMissing(sampleNode, topLevel, programIndex, gcIndex, idleIndex)

  const timeline = attributeToNodes(
    passes,
    builder,
    sampleNode,
    treeNode,
    timestamp,
    lastDurationUs,
    startTime,
    gcOnStack ? gcIndex : -1,
    funcOf,
  )
  return withLineTicks(
    finishCallTree(builder, interner.identities, { unit: 'ms', meta, ownedTimeline: timeline, ...builderLineTicks(input) }),
    input.lineTicks,
  )
}

/** The collected line ticks by builder node, for the tree's per-node table (nothing when there are none). */
function builderLineTicks(input: AttributionInput): Pick<FinishOptions, 'lineTicks'> {
  if (!input.lineTicks.any) return {}
  const raw = input.lineTicks.raw()
  const node = new Int32Array(raw.node.length)
  for (let k = 0; k < node.length; k++) node[k] = input.treeNode[raw.node[k] as number] as number
  return { lineTicks: { node, line: raw.line, ticks: raw.ticks } }
}

/** The tree with its function table's line ticks, when the profile had any. */
function withLineTicks(tree: CallTree, lineTicks: LineTickCollector): CallTree {
  if (lineTicks.any) tree.functions.lineTicks = lineTicks.finish(tree.functions.length)
  return tree
}

/** Timestamps (µs) from time deltas, put in time order when some are negative; counts odd deltas in `meta`. */
function timestampsFromDeltas(
  passes: SamplePasses,
  timeDeltas: ArrayLike<number>,
  startTime: number,
  sampleNode: Int32Array,
  meta: CallTree['meta'],
): Float64Array {
  const n = sampleNode.length
  const { timestamp, negative, sum } = passes.timestamps(timeDeltas, n, startTime)
  if (negative > 0) sortSamplesByTime(timestamp, sampleNode, passes)
  // Gaps no sampler makes: over a second and over 1,000 mean intervals (a suspended process, a bad clock).
  const absurd = passes.countAbove(timeDeltas, n, Math.max(1e6, (sum / Math.max(1, n - negative)) * 1000))
  if (negative > 0) meta.negativeTimeDeltas = negative
  if (absurd > 0) meta.absurdTimeDeltas = absurd
  return timestamp
}

/** Evenly spaced timestamps, for profiles without time deltas. */
function evenTimestamps(n: number, startTime: number, interval: number): Float64Array {
  const timestamp = new Float64Array(n)
  for (let i = 0; i < n; i++) timestamp[i] = startTime + i * interval
  return timestamp
}

/**
 * Adds each sample's time to its node's self and returns the timeline (builder node indices). With gcIndex
 * ≥ 0, a `(garbage collector)` sample goes on top of the stack of the sample before it.
 *
 * The node lookup (raw node → builder node) is a loop here; the time conversion and the self sums run
 * in WebAssembly (core/import/cpuprofile-samples.ts), added in time order, so the values are the same to
 * the bit as JavaScript's loops gave.
 */
function attributeToNodes(
  passes: SamplePasses,
  builder: CallTreeBuilder,
  sampleNode: Int32Array,
  treeNode: Int32Array,
  timestamp: Float64Array,
  lastDurationUs: number,
  startTime: number,
  gcIndex: number,
  funcOf: Int32Array,
): { node: Int32Array; startMs: Float64Array; durationMs: Float64Array } {
  // sampleNode and timestamp are rewritten in place (each entry is read before it is written) and become
  // the timeline: a 1 GB profile's 18.7 M samples would otherwise hold ~300 MB more at the import's peak.
  const gcFunc = gcIndex >= 0 ? (funcOf[gcIndex] as number) : -1
  passes.toBuilderNodes(sampleNode, treeNode, gcIndex, (stack) => builder.child(stack, gcFunc))
  const durationMs = passes.intervalsToMillis(timestamp, lastDurationUs, startTime)
  passes.addEach(sampleNode, durationMs, builder.selfValues, builder.selfCounts, builder.size)
  return { node: sampleNode, startMs: timestamp, durationMs }
}
