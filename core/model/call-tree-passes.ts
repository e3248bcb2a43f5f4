/**
 * finishCallTree's passes over the nodes in WebAssembly (source: wasm/call-tree.ts): subtree
 * totals, child lists, pre-order, renumbering, subtree ends and per-function values. The arrays are laid
 * out in a fresh instance's memory per tree (so nothing outlives the call); the sort of siblings, which
 * compares function names, runs in JavaScript on views of the same memory between the passes.
 */
import { type CallTreeNodeTable, type FunctionTable, type PlacedNodes, builderCapacity } from './call-tree.js'
import { CALL_TREE_WASM } from './call-tree-wasm.js'
import { wasmLayout, wasmModule } from './wasm.js'

interface FinishExports {
  memory: { buffer: ArrayBuffer }
  reserve(bytes: number): void
  sumSubtrees(n: number, parents: number, total: number, totalCounts: number): void
  childLists(n: number, parents: number, childStart: number, childList: number, fill: number): number
  placeRaw(
    count: number,
    funcOf: number,
    parent: number,
    root: number,
    order: number,
    treeNode: number,
    topLevel: number,
    parents: number,
    funcs: number,
    slots: number,
    capacity: number,
  ): number
  breadthFirst(root: number, childStart: number, childList: number, order: number): number
  preOrder(n: number, childStart: number, childList: number, order: number, newIndex: number, stack: number): void
  renumber(
    n: number,
    order: number,
    newIndex: number,
    parents: number,
    funcs: number,
    selfValues: number,
    selfCounts: number,
    total: number,
    totalCounts: number,
    outParent: number,
    outFunc: number,
    outDepth: number,
    outSelf: number,
    outTotal: number,
    outSelfSamples: number,
    outTotalSamples: number,
  ): void
  subtreeEnds(n: number, depth: number, subtreeEnd: number, open: number): void
  functionValues(
    n: number,
    func: number,
    subtreeEnd: number,
    self: number,
    total: number,
    selfSamples: number,
    totalSamples: number,
    fnSelf: number,
    fnTotal: number,
    fnSelfSamples: number,
    fnTotalSamples: number,
    onPath: number,
    open: number,
  ): void
}

const instance = wasmModule<FinishExports>(CALL_TREE_WASM, 'the call tree builder')

/** The builder's columns in, as finishCallTree has them (entries [0, n)). */
export interface FinishInput {
  parents: Int32Array
  funcs: Int32Array
  selfValues: Float64Array
  selfCounts: Float64Array
}

export interface FinishPasses {
  /** Subtree totals and counts in builder order (views: valid until the passes' end). */
  readonly total: Float64Array
  readonly funcs: Int32Array
  readonly childStart: Int32Array
  readonly childList: Int32Array
  /** After the siblings are sorted: pre-order, renumbering and subtree ends; the node columns, copied out. */
  order(): Omit<CallTreeNodeTable, 'length'> & { newIndex: Int32Array }
  /** Per-function self, total and sample counts over the renumbered nodes (after order()), copied out. */
  functionValues(): Pick<FunctionTable, 'self' | 'total' | 'selfSamples' | 'totalSamples'>
}

/**
 * A raw profile tree's nodes placed in a call tree builder's columns in `order` (order[0] the root):
 * each node the child of its parent's place for its function (siblings of one function merge), as
 * builder.child() places them, with its place (treeNode) and the root's child above it (topLevel). The
 * columns and hash table are what createCallTreeBuilder(rootFunc, parent.length, placed) continues from.
 */
export function placeRawTree(
  funcOf: Int32Array,
  parent: Int32Array,
  root: number,
  order: Int32Array,
): PlacedNodes & { treeNode: Int32Array; topLevel: Int32Array } {
  const x = instance()
  const n = parent.length
  const room = Math.max(64, n + 1)
  const capacity = builderCapacity(n)
  const layout = wasmLayout()
  const funcOfAt = layout.i32(n)
  const parentAt = layout.i32(n)
  const orderAt = layout.i32(order.length)
  const treeNodeAt = layout.i32(n)
  const topLevelAt = layout.i32(n)
  const parentsAt = layout.i32(room)
  const funcsAt = layout.i32(room)
  const slotsAt = layout.i32(capacity)
  x.reserve(layout.bytes)
  const buffer = x.memory.buffer
  new Int32Array(buffer, funcOfAt, n).set(funcOf.subarray(0, n))
  new Int32Array(buffer, parentAt, n).set(parent)
  new Int32Array(buffer, orderAt, order.length).set(order)
  const size = x.placeRaw(order.length, funcOfAt, parentAt, root, orderAt, treeNodeAt, topLevelAt, parentsAt, funcsAt, slotsAt, capacity)
  return {
    parents: new Int32Array(buffer, parentsAt, room).slice(),
    funcs: new Int32Array(buffer, funcsAt, room).slice(),
    size,
    slots: new Int32Array(buffer, slotsAt, capacity).slice(),
    treeNode: new Int32Array(buffer, treeNodeAt, n).slice(),
    topLevel: new Int32Array(buffer, topLevelAt, n).slice(),
  }
}

/**
 * The nodes of a raw tree (parents: -1 or another node) breadth-first from `root`, children in index
 * order; `reached` < n when some nodes are not below the root (they sit on a cycle). The importers' check
 * of a profile's tree (core/import/validate.ts rootAndOrder).
 */
export function breadthFirstOrder(parents: Int32Array, root: number): { order: Int32Array; reached: number } {
  const x = instance()
  const n = parents.length
  const layout = wasmLayout()
  const parentsAt = layout.i32(n)
  const childStart = layout.i32(n + 1)
  const childList = layout.i32(n)
  const fill = layout.i32(n + 1)
  const orderAt = layout.i32(n)
  x.reserve(layout.bytes)
  new Int32Array(x.memory.buffer, parentsAt, n).set(parents)
  x.childLists(n, parentsAt, childStart, childList, fill)
  const reached = x.breadthFirst(root, childStart, childList, orderAt)
  // Nodes not reached stay 0 in a fresh memory, as they did in a fresh Int32Array.
  return { order: new Int32Array(x.memory.buffer, orderAt, n).slice(), reached }
}

/** Lays out n nodes and m functions, copies the columns in, and runs the subtree sums and child lists. */
export function startFinishPasses(input: FinishInput, n: number, m: number): FinishPasses {
  const x = instance()
  const layout = wasmLayout()
  const { f64, i32 } = layout
  const selfValues = f64(n)
  const selfCounts = f64(n)
  const total = f64(n)
  const totalCounts = f64(n)
  const outSelf = f64(n)
  const outTotal = f64(n)
  const fnSelf = f64(m)
  const fnTotal = f64(m)
  const parents = i32(n)
  const funcs = i32(n)
  const childStart = i32(n + 1)
  const childList = i32(n)
  const order = i32(n)
  const newIndex = i32(n)
  const scratch = i32(n + 1)
  const outParent = i32(n)
  const outFunc = i32(n)
  const outDepth = i32(n)
  const outSubtreeEnd = i32(n)
  const outSelfSamples = i32(n)
  const outTotalSamples = i32(n)
  const fnSelfSamples = i32(m)
  const fnTotalSamples = i32(m)
  const onPath = i32(m)
  x.reserve(layout.bytes)
  // A fresh instance's memory is zeroed, and does not grow after reserve: the views stay valid.
  const buffer = x.memory.buffer
  const F = (p: number, count: number): Float64Array => new Float64Array(buffer, p, count)
  const I = (p: number, count: number): Int32Array => new Int32Array(buffer, p, count)
  const U = (p: number, count: number): Uint32Array => new Uint32Array(buffer, p, count)
  I(parents, n).set(input.parents.subarray(0, n))
  I(funcs, n).set(input.funcs.subarray(0, n))
  F(selfValues, n).set(input.selfValues.subarray(0, n))
  F(selfCounts, n).set(input.selfCounts.subarray(0, n))
  F(total, n).set(input.selfValues.subarray(0, n))
  F(totalCounts, n).set(input.selfCounts.subarray(0, n))
  x.sumSubtrees(n, parents, total, totalCounts)
  const children = x.childLists(n, parents, childStart, childList, scratch)
  return {
    total: F(total, n),
    funcs: I(funcs, n),
    childStart: I(childStart, n + 1),
    childList: I(childList, children),
    order() {
      x.preOrder(n, childStart, childList, order, newIndex, scratch)
      x.renumber(
        n,
        order,
        newIndex,
        parents,
        funcs,
        selfValues,
        selfCounts,
        total,
        totalCounts,
        outParent,
        outFunc,
        outDepth,
        outSelf,
        outTotal,
        outSelfSamples,
        outTotalSamples,
      )
      x.subtreeEnds(n, outDepth, outSubtreeEnd, scratch)
      return {
        newIndex: I(newIndex, n).slice(),
        parent: I(outParent, n).slice(),
        func: I(outFunc, n).slice(),
        depth: I(outDepth, n).slice(),
        subtreeEnd: I(outSubtreeEnd, n).slice(),
        self: F(outSelf, n).slice(),
        total: F(outTotal, n).slice(),
        selfSamples: U(outSelfSamples, n).slice(),
        totalSamples: U(outTotalSamples, n).slice(),
      }
    },
    functionValues() {
      x.functionValues(
        n,
        outFunc,
        outSubtreeEnd,
        outSelf,
        outTotal,
        outSelfSamples,
        outTotalSamples,
        fnSelf,
        fnTotal,
        fnSelfSamples,
        fnTotalSamples,
        onPath,
        scratch,
      )
      return {
        self: F(fnSelf, m).slice(),
        total: F(fnTotal, m).slice(),
        selfSamples: U(fnSelfSamples, m).slice(),
        totalSamples: U(fnTotalSamples, m).slice(),
      }
    },
  }
}
