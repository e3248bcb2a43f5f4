/**
 * The call tree: one model for CPU profiles (milliseconds) and allocation profiles (bytes), as plain
 * struct-of-arrays data so it crosses IPC and contextBridge by structured clone. Also the builder that
 * every importer and transform uses, so the invariants below hold for every tree.
 */
import { type FunctionLineTicks, type NodeLineTicks, type RawLineTicks, nodeLineTicksFrom } from './line-ticks.js'
import { startFinishPasses } from './call-tree-passes.js'
import { resized } from './typed-arrays.js'
import type { Bytes, Milliseconds, NodeIndex } from './units.js'

/**
 * What kind of code a frame is (see core/analysis/categories.ts for the rules):
 * `user` (the program's own scripts), `dependency` (under node_modules), `node-internal` (`node:` urls),
 * `v8-native` (`(root)`, `(program)`, `(idle)`, frames without a script), `gc` (`(garbage collector)`).
 */
export type FunctionCategory = 'user' | 'dependency' | 'node-internal' | 'v8-native' | 'gc'

/** What the node and function values measure: time for CPU profiles, allocated bytes for allocation profiles. */
export type CallTreeUnit = 'ms' | 'bytes'

/** A node or function value: Milliseconds when the tree's unit is 'ms', Bytes when it is 'bytes'. */
export type TreeValue = Milliseconds | Bytes

/** Index into a tree's FunctionTable. */
export type FunctionIndex = number

/** How a function is identified across runs: name, script url and 1-based position. */
export interface FrameIdentity {
  name: string
  url: string
  /** 1-based line of the function's start; 0 when unknown (V8 writes -1 as 0-based). */
  line: number
  /** 1-based column of the function's start; 0 when unknown. */
  column: number
}

/**
 * The function table: one row per distinct function (identity = name, url, line, column; the V8
 * scriptId is left out so the same function matches across runs).
 */
export interface FunctionTable {
  length: number
  /** `name url:line:column`: stable across runs of the same code; what diffs match functions by. */
  key: string[]
  name: string[]
  url: string[]
  /** 1-based; 0 when unknown. */
  line: Int32Array
  /** 1-based; 0 when unknown. */
  column: Int32Array
  category: FunctionCategory[]
  /** Value spent in the function itself (in the tree's unit). */
  self: Float64Array
  /**
   * Value of every sample whose stack contains the function, each sample counted once however many
   * times the function appears on its stack (recursion-safe).
   */
  total: Float64Array
  selfSamples: Uint32Array
  totalSamples: Uint32Array
  /**
   * Self samples per source line of each function (CPU profiles with `positionTicks`; see
   * core/model/line-ticks.ts). Absent when the profile has none.
   */
  lineTicks?: FunctionLineTicks
}

/**
 * The nodes of the tree in pre-order (depth first): the root is node 0, every parent comes before its
 * children, and the subtree of node i is the contiguous range [i, subtreeEnd[i]). Siblings are ordered by
 * total descending (ties by name, then key), so the first child is the heaviest (a left-heavy flame graph
 * follows the node order). Sibling frames of the same function are merged into one node.
 */
export interface CallTreeNodeTable {
  length: number
  /** Parent node, -1 for the root. */
  parent: Int32Array
  func: Int32Array
  /** 0 for the root. */
  depth: Int32Array
  /** One past the last node of this node's subtree. */
  subtreeEnd: Int32Array
  /** Value attributed to this call path while it was on top of the stack (tree unit). */
  self: Float64Array
  /** self of this node plus the totals of its children (tree unit). */
  total: Float64Array
  selfSamples: Uint32Array
  totalSamples: Uint32Array
}

/** The samples of a CPU profile in time order, each mapped to the tree node of its stack. */
export interface SampleTimeline {
  length: number
  node: Int32Array
  /** Start of the sample's interval, in ms since the profile's startTime. */
  startMs: Float64Array
  /** The interval the sample owns (see core/import/cpuprofile.ts for the attribution rule), in ms. */
  durationMs: Float64Array
}

/** Facts about the source profile. */
export interface CallTreeMeta {
  /** Samples in the source profile (CPU samples or allocation samples). */
  sampleCount: number
  /** The profile's startTime and endTime, in microseconds of V8's monotonic clock (CPU profiles only). */
  startTimeUs?: number
  endTimeUs?: number
  /** Mean interval between CPU samples, in ms. */
  meanIntervalMs?: Milliseconds
  /** Allocation samples whose node is not in the tree (left out; see core/import/heap-profile.ts). */
  unmatchedSamples?: number
  /** Samples whose time delta was negative (put back in time order, as DevTools does). */
  negativeTimeDeltas?: number
  /** Time deltas over a second and over 1,000 mean intervals (kept; the sample before owns the gap). */
  absurdTimeDeltas?: number
}

/** A call tree: nodes, functions, and for CPU profiles the time-ordered samples. Plain data only. */
export interface CallTree {
  unit: CallTreeUnit
  nodes: CallTreeNodeTable
  functions: FunctionTable
  timeline?: SampleTimeline
  meta: CallTreeMeta
  /**
   * The profile's positionTicks per node (CPU profiles that have them; see core/model/line-ticks.ts): what
   * a time range scales to estimate the line ticks inside it. Trees built by transforms do not carry it.
   */
  nodeLineTicks?: NodeLineTicks
}

/** Function identities without values: what transforms carry over from tree to tree. */
export interface FunctionIdentities {
  key: string[]
  name: string[]
  url: string[]
  line: ArrayLike<number>
  column: ArrayLike<number>
  category: FunctionCategory[]
  /** Carried over by finishCallTree when present (trees derived from an imported tree keep its line ticks). */
  lineTicks?: FunctionLineTicks
}

/** The stable key of a function: `name url:line:column` (name `(anonymous)` when empty). */
export function makeFunctionKey(frame: FrameIdentity): string {
  // join() builds one flat string; a template literal builds a tree of five concatenations that V8 keeps
  // as it is (hashing and comparing walk the tree), which held a 400,000-node profile's heap at 250,000
  // more objects for every garbage collection to mark.
  // String() keeps the template's spelling of any value (join would write undefined as '').
  return [frame.name || '(anonymous)', ' ', String(frame.url), ':', String(frame.line), ':', String(frame.column)].join('')
}

/** Collects distinct functions while a tree is built; `intern` returns the index of a frame. */
export interface FunctionInterner {
  readonly identities: FunctionIdentities & { line: number[]; column: number[] }
  intern(frame: FrameIdentity, category: FunctionCategory): FunctionIndex
}

export function createFunctionInterner(): FunctionInterner {
  const identities = {
    key: [] as string[],
    name: [] as string[],
    url: [] as string[],
    line: [] as number[],
    column: [] as number[],
    category: [] as FunctionCategory[],
  }
  const byKey = new Map<string, number>()
  return {
    identities,
    intern(frame, category) {
      const key = makeFunctionKey(frame)
      const known = byKey.get(key)
      if (known !== undefined) return known
      const index = identities.key.length
      byKey.set(key, index)
      identities.key.push(key)
      identities.name.push(frame.name)
      identities.url.push(frame.url)
      identities.line.push(frame.line)
      identities.column.push(frame.column)
      identities.category.push(category)
      return index
    },
  }
}

/**
 * Builds a tree node by node in any order that creates parents first. Node 0 is the root. Nodes are
 * builder indices until finishCallTree renumbers them into pre-order.
 */
export interface CallTreeBuilder {
  readonly size: number
  /** The child of `parent` for function `func`, created if it does not exist yet. */
  child(parent: number, func: FunctionIndex): number
  addSelf(node: number, value: TreeValue, samples: number): void
  /**
   * Internal arrays, read by finishCallTree (the self sums also written by a CPU profile's per-sample
   * passes, core/import/cpuprofile-samples.ts): entries [0, size) are the nodes (the arrays grow ahead of it).
   */
  readonly parents: Int32Array
  readonly funcs: Int32Array
  readonly selfValues: Float64Array
  readonly selfCounts: Float64Array
}

/**
 * `expectedNodes` sizes the arrays and the (parent, function) table up front (an importer knows its raw
 * node count): a 400,000-node profile otherwise rehashed the table ten times on the way up. The node
 * columns are typed arrays grown by doubling (JS arrays filled by push were a tenth of a large import's
 * time in placing nodes and summing samples, with their copies and garbage).
 */
/** A builder's state after its nodes were placed: columns of `room` (max(64, expectedNodes + 1)) entries. */
export interface PlacedNodes {
  parents: Int32Array
  funcs: Int32Array
  size: number
  slots: Int32Array
}

/** The hash table size of a builder for that many nodes: the capacity child()'s growth would reach (load under one half). */
export function builderCapacity(expectedNodes: number): number {
  let capacity = 1024
  while (expectedNodes * 2 > capacity) capacity *= 2
  return capacity
}

/**
 * A builder with room for `expectedNodes`; `placed`, when given, is its state after nodes were placed
 * elsewhere (core/model/call-tree-passes.ts placeRawTree: its columns, `size` and hash table, built by the
 * same rule as child(), sized for expectedNodes).
 */
export function createCallTreeBuilder(rootFunc: FunctionIndex, expectedNodes = 0, placed?: PlacedNodes): CallTreeBuilder {
  let room = Math.max(64, expectedNodes + 1)
  let parents = placed?.parents ?? new Int32Array(room)
  let funcs = placed?.funcs ?? new Int32Array(room)
  let selfValues = new Float64Array(room)
  let selfCounts = new Float64Array(room)
  parents[0] = -1
  funcs[0] = rootFunc
  let size = placed?.size ?? 1
  // (parent, function) → child, in an open-addressing hash table of typed arrays: a Map keyed by
  // parent * 2^k + function hashes heap numbers and was several times slower on million-node trees.
  let capacity = builderCapacity(expectedNodes)
  let slots = placed?.slots ?? new Int32Array(capacity).fill(-1)
  const hash = (parent: number, func: number): number => (Math.imul(parent, 0x9e3779b1) ^ Math.imul(func, 0x85ebca77)) >>> 0
  const grow = (): void => {
    capacity *= 2
    slots = new Int32Array(capacity).fill(-1)
    const mask = capacity - 1
    for (let node = 1; node < size; node++) {
      let h = hash(parents[node] as number, funcs[node] as number) & mask
      while (slots[h] !== -1) h = (h + 1) & mask
      slots[h] = node
    }
  }
  const growColumns = (): void => {
    room *= 2
    parents = resized(parents, room)
    funcs = resized(funcs, room)
    selfValues = resized(selfValues, room)
    selfCounts = resized(selfCounts, room)
  }
  return {
    get size() {
      return size
    },
    get parents() {
      return parents
    },
    get funcs() {
      return funcs
    },
    get selfValues() {
      return selfValues
    },
    get selfCounts() {
      return selfCounts
    },
    child(parent, func) {
      const mask = capacity - 1
      let h = hash(parent, func) & mask
      for (;;) {
        const node = slots[h] as number
        if (node === -1) break
        if (parents[node] === parent && funcs[node] === func) return node
        h = (h + 1) & mask
      }
      if (size === room) growColumns()
      const index = size++
      parents[index] = parent
      funcs[index] = func
      slots[h] = index
      // Keep the load factor under one half so probe sequences stay short.
      if (size * 2 > capacity) grow()
      return index
    },
    addSelf(node, value, samples) {
      selfValues[node] = (selfValues[node] as number) + value
      selfCounts[node] = (selfCounts[node] as number) + samples
    },
  }
}

export interface FinishOptions {
  unit: CallTreeUnit
  meta: CallTreeMeta
  /** Samples with builder node indices; renumbered with the nodes. Samples at node -1 are dropped. */
  timeline?: { node: ArrayLike<number>; startMs: ArrayLike<number>; durationMs: ArrayLike<number> }
  /**
   * The same as `timeline`, in typed arrays the caller gives away: the tree takes them (nodes renumbered in
   * place) instead of copying them, unless a sample is dropped. A 1 GB profile's 18.7 M samples would
   * otherwise be held twice at the import's peak. Give this or `timeline`, not both.
   */
  ownedTimeline?: { node: Int32Array; startMs: Float64Array; durationMs: Float64Array }
  /**
   * Per-function values to use instead of computing them from this tree (the inverted tree of the
   * bottom-up view keeps the values of the tree it was inverted from).
   */
  functionValues?: Pick<FunctionTable, 'self' | 'total' | 'selfSamples' | 'totalSamples'>
  /** Line ticks by builder node; renumbered with the nodes into `nodeLineTicks`. */
  lineTicks?: RawLineTicks
}

/**
 * Turns a builder into a CallTree: sums totals, orders siblings by total descending, renumbers nodes in
 * pre-order, and computes per-function self and total (total once per stack, so recursion is not
 * double counted). O(n log n) for the sibling sort, O(n) otherwise.
 *
 * The passes over the nodes run in WebAssembly (core/model/call-tree-passes.ts): in a fresh process (every
 * CLI call) V8 runs a JavaScript loop unoptimized until its on-stack compilation comes up, one function at
 * a time on one compiler thread, and for a 40,000-node tree each of these loops waited 2–8 ms for it;
 * WebAssembly is compiled before it runs. The siblings' sort, which compares names, stays here.
 */
export function finishCallTree(builder: CallTreeBuilder, functions: FunctionIdentities, options: FinishOptions): CallTree {
  const size = builder.size
  const m = functions.key.length
  // The passes over the nodes run in WebAssembly (core/model/call-tree-passes.ts); the siblings' sort,
  // which compares names, here on views of its memory.
  const passes = startFinishPasses(
    { parents: builder.parents, funcs: builder.funcs, selfValues: builder.selfValues, selfCounts: builder.selfCounts },
    size,
    m,
  )
  sortChildren(passes.childStart, passes.childList, passes.total, passes.funcs, functions)
  const { newIndex, ...columns } = passes.order()
  const nodes: CallTreeNodeTable = { length: size, ...columns }

  const table: FunctionTable = {
    length: m,
    key: functions.key.slice(),
    name: functions.name.slice(),
    url: functions.url.slice(),
    line: Int32Array.from(functions.line),
    column: Int32Array.from(functions.column),
    category: functions.category.slice(),
    self: new Float64Array(m),
    total: new Float64Array(m),
    selfSamples: new Uint32Array(m),
    totalSamples: new Uint32Array(m),
  }
  const values = options.functionValues ?? passes.functionValues()
  table.self.set(values.self)
  table.total.set(values.total)
  table.selfSamples.set(values.selfSamples)
  table.totalSamples.set(values.totalSamples)
  if (functions.lineTicks) table.lineTicks = functions.lineTicks

  const tree: CallTree = { unit: options.unit, nodes, functions: table, meta: { ...options.meta } }
  if (options.ownedTimeline) tree.timeline = takeTimeline(options.ownedTimeline, newIndex)
  else if (options.timeline) tree.timeline = renumberTimeline(options.timeline, newIndex)
  if (options.lineTicks) tree.nodeLineTicks = nodeLineTicksFrom(options.lineTicks, (b) => newIndex[b] as number, nodes.length)
  return tree
}

/** Siblings by total descending, ties by name, then key, then builder order. */
function sortChildren(
  childStart: Int32Array,
  childList: Int32Array,
  total: Float64Array,
  funcs: Int32Array,
  functions: FunctionIdentities,
): void {
  const compare = (a: number, b: number): number => {
    const d = (total[b] as number) - (total[a] as number)
    if (d !== 0) return d
    const fa = funcs[a] as number
    const fb = funcs[b] as number
    const na = functions.name[fa] as string
    const nb = functions.name[fb] as string
    if (na !== nb) return na < nb ? -1 : 1
    const ka = functions.key[fa] as string
    const kb = functions.key[fb] as string
    if (ka !== kb) return ka < kb ? -1 : 1
    return a - b
  }
  const n = childStart.length - 1
  for (let p = 0; p < n; p++) {
    const s = childStart[p] as number
    const e = childStart[p + 1] as number
    if (e - s > SMALL_SORT) childList.subarray(s, e).sort(compare)
    else if (e - s > 1) insertionSort(childList, s, e, compare)
  }
}

/**
 * Sibling groups up to this size are sorted in place by insertion; most groups have two or three nodes,
 * and a typed array's sort() with a comparator copies the range out and back (with a subarray object per
 * group): on a 400,000-node profile that was 35–48 ms of the tree's finish, most of it for pairs.
 */
const SMALL_SORT = 12

/** Stable insertion sort of a[s..e) by compare. */
function insertionSort(a: Int32Array, s: number, e: number, compare: (x: number, y: number) => number): void {
  for (let i = s + 1; i < e; i++) {
    const v = a[i] as number
    let j = i - 1
    while (j >= s && compare(a[j] as number, v) > 0) {
      a[j + 1] = a[j] as number
      j--
    }
    a[j + 1] = v
  }
}

/** An owned timeline with its nodes renumbered in place, or copied by renumberTimeline when a sample is dropped. */
function takeTimeline(src: NonNullable<FinishOptions['ownedTimeline']>, newIndex: Int32Array): SampleTimeline {
  const node = src.node
  const count = node.length
  for (let i = 0; i < count; i++) if ((node[i] as number) < 0) return renumberTimeline(src, newIndex)
  for (let i = 0; i < count; i++) node[i] = newIndex[node[i] as number] as number
  return { length: count, node, startMs: src.startMs, durationMs: src.durationMs }
}

/** The samples at their new node numbers, those at node -1 dropped. */
function renumberTimeline(src: NonNullable<FinishOptions['timeline']>, newIndex: Int32Array): SampleTimeline {
  const count = src.node.length
  let kept = 0
  for (let i = 0; i < count; i++) if ((src.node[i] as number) >= 0) kept++
  const timeline: SampleTimeline = {
    length: kept,
    node: new Int32Array(kept),
    startMs: new Float64Array(kept),
    durationMs: new Float64Array(kept),
  }
  const { node: outNode, startMs, durationMs } = timeline
  let k = 0
  for (let i = 0; i < count; i++) {
    const node = src.node[i] as number
    if (node < 0) continue
    outNode[k] = newIndex[node] as number
    startMs[k] = src.startMs[i] as number
    durationMs[k] = src.durationMs[i] as number
    k++
  }
  return timeline
}

/** The root's total: everything the tree accounts for (ms or bytes). */
export function getTreeTotal(tree: CallTree): TreeValue {
  return tree.nodes.length > 0 ? (tree.nodes.total[0] as number) : 0
}

/** The children of a node, heaviest first. */
export function getChildren(tree: CallTree, node: NodeIndex): NodeIndex[] {
  const out: NodeIndex[] = []
  const end = tree.nodes.subtreeEnd[node] as number
  for (let c = node + 1; c < end; c = tree.nodes.subtreeEnd[c] as number) out.push(c)
  return out
}

/** The nodes from the root down to `node`, both included. */
export function getNodePath(tree: CallTree, node: NodeIndex): NodeIndex[] {
  const path: NodeIndex[] = []
  for (let i = node; i >= 0; i = tree.nodes.parent[i] as number) path.push(i)
  return path.reverse()
}

/** Display name of a function: its name, or `(anonymous)`. */
export function getFunctionName(functions: Pick<FunctionTable, 'name'>, fn: FunctionIndex): string {
  return functions.name[fn] || '(anonymous)'
}

/** `url:line:column` of a function, or '' when it has no script. */
export function getFunctionLocation(functions: Pick<FunctionTable, 'url' | 'line' | 'column'>, fn: FunctionIndex): string {
  const url = functions.url[fn] ?? ''
  if (url === '') return ''
  const line = functions.line[fn] ?? 0
  const column = functions.column[fn] ?? 0
  return line > 0 ? `${url}:${line}:${column}` : url
}

/** The index of the first function with this name, or -1 (test and CLI convenience). */
export function findFunctionByName(tree: CallTree, name: string): FunctionIndex {
  return tree.functions.name.indexOf(name)
}
