// AssemblyScript source of core/model/call-tree-wasm.ts (built by scripts/build-wasm.mjs): the passes
// over a call tree's nodes that every import runs once per tree: placing a raw profile tree's nodes in
// the builder (core/import/cpuprofile.ts placeRawNodes), the breadth-first check of a raw tree, and the
// integer and float passes of finishCallTree (core/model/call-tree.ts). Why WebAssembly: see wasm/cpuprofile-scan.ts (in a fresh process each of these loops ran
// unoptimized until its compilation came up, 2-8 ms each at 40,000 nodes; these are compiled before
// they run). The JavaScript side lays the arrays out in this memory (byte addresses as parameters) and
// keeps the sort of siblings, which compares function names.

import { f64At, i32At, setF64, setI32 } from './memory'

export { reserve } from './memory'

/** Builder order creates parents before children, so one backward pass accumulates subtree totals. */
export function sumSubtrees(n: i32, parents: usize, total: usize, totalCounts: usize): void {
  for (let i = n - 1; i > 0; i--) {
    const p = i32At(parents, i)
    if (p < 0) continue
    setF64(total, p, f64At(total, p) + f64At(total, i))
    setF64(totalCounts, p, f64At(totalCounts, p) + f64At(totalCounts, i))
  }
}

/**
 * Children lists in CSR form (childStart has n + 1 entries, zeroed by the caller): each node's children
 * in index order; a node with a negative parent is no one's child. `fill` is n entries of scratch.
 * Returns how many nodes have a parent.
 */
export function childLists(n: i32, parents: usize, childStart: usize, childList: usize, fill: usize): i32 {
  let children: i32 = 0
  for (let i: i32 = 0; i < n; i++) {
    const p = i32At(parents, i)
    if (p < 0) continue
    setI32(childStart, p + 1, i32At(childStart, p + 1) + 1)
    children++
  }
  for (let i: i32 = 1; i <= n; i++) setI32(childStart, i, i32At(childStart, i) + i32At(childStart, i - 1))
  memory.copy(fill, childStart, <usize>n << 2)
  for (let i: i32 = 0; i < n; i++) {
    const p = i32At(parents, i)
    if (p < 0) continue
    const at = i32At(fill, p)
    setI32(childList, at, i)
    setI32(fill, p, at + 1)
  }
  return children
}

/** The call tree builder's hash of (parent, function): Math.imul(parent, 0x9e3779b1) ^ Math.imul(func, 0x85ebca77). */
@inline function childHash(parent: i32, func: i32): u32 {
  return (<u32>parent * 0x9e3779b1) ^ (<u32>func * 0x85ebca77)
}

/**
 * The raw nodes in `order` (order[0] the root) placed in a call tree builder's columns: each node the
 * builder's child of its parent's place for its function (siblings of one function merge), recorded in
 * treeNode, with topLevel (the root's child above it, the root itself for the root). Builds the builder's
 * hash table (slots, `capacity` a power of two over twice the nodes, so it never grows here) as its
 * child() would. Returns the builder's size.
 */
export function placeRaw(
  count: i32,
  funcOf: usize,
  parent: usize,
  root: i32,
  order: usize,
  treeNode: usize,
  topLevel: usize,
  parents: usize,
  funcs: usize,
  slots: usize,
  capacity: i32,
): i32 {
  memory.fill(slots, 0xff, <usize>capacity << 2)
  const mask = <u32>capacity - 1
  setI32(parents, 0, -1)
  setI32(funcs, 0, i32At(funcOf, root))
  let size: i32 = 1
  setI32(treeNode, root, 0)
  setI32(topLevel, root, root)
  for (let k: i32 = 1; k < count; k++) {
    const i = i32At(order, k)
    const p = i32At(parent, i)
    const place = i32At(treeNode, p)
    const f = i32At(funcOf, i)
    let h = childHash(place, f) & mask
    let node: i32 = -1
    for (;;) {
      const at = i32At(slots, <i32>h)
      if (at == -1) break
      if (i32At(parents, at) == place && i32At(funcs, at) == f) {
        node = at
        break
      }
      h = (h + 1) & mask
    }
    if (node < 0) {
      node = size++
      setI32(parents, node, place)
      setI32(funcs, node, f)
      setI32(slots, <i32>h, node)
    }
    setI32(treeNode, i, node)
    setI32(topLevel, i, p == root ? i : i32At(topLevel, p))
  }
  return size
}

/** Fills `order` breadth-first from root (children in childList order); returns how many nodes it reached. */
export function breadthFirst(root: i32, childStart: usize, childList: usize, order: usize): i32 {
  let head: i32 = 0
  let tail: i32 = 0
  setI32(order, tail++, root)
  while (head < tail) {
    const i = i32At(order, head++)
    const end = i32At(childStart, i + 1)
    for (let c = i32At(childStart, i); c < end; c++) setI32(order, tail++, i32At(childList, c))
  }
  return tail
}

/** Pre-order numbering from node 0 with an explicit stack (n entries). */
export function preOrder(n: i32, childStart: usize, childList: usize, order: usize, newIndex: usize, stack: usize): void {
  if (n == 0) return
  let top: i32 = 0
  let next: i32 = 0
  setI32(stack, top++, 0)
  while (top > 0) {
    const node = i32At(stack, --top)
    setI32(newIndex, node, next)
    setI32(order, next++, node)
    const first = i32At(childStart, node)
    for (let c = i32At(childStart, node + 1) - 1; c >= first; c--) setI32(stack, top++, i32At(childList, c))
  }
}

/** The nodes in pre-order: parent, func, depth, self, total and the sample counts (as Uint32Array stores them). */
export function renumber(
  n: i32,
  order: usize,
  newIndex: usize,
  parents: usize,
  funcs: usize,
  selfValues: usize,
  selfCounts: usize,
  total: usize,
  totalCounts: usize,
  outParent: usize,
  outFunc: usize,
  outDepth: usize,
  outSelf: usize,
  outTotal: usize,
  outSelfSamples: usize,
  outTotalSamples: usize,
): void {
  for (let j: i32 = 0; j < n; j++) {
    const old = i32At(order, j)
    const p = i32At(parents, old)
    const np = p < 0 ? -1 : i32At(newIndex, p)
    setI32(outParent, j, np)
    setI32(outFunc, j, i32At(funcs, old))
    setI32(outDepth, j, np < 0 ? 0 : i32At(outDepth, np) + 1)
    setF64(outSelf, j, f64At(selfValues, old))
    setF64(outTotal, j, f64At(total, old))
    setI32(outSelfSamples, j, toUint32(f64At(selfCounts, old)))
    setI32(outTotalSamples, j, toUint32(f64At(totalCounts, old)))
  }
}

/** ECMAScript's ToUint32 of a finite value below 2^63 (sample counts), as a Uint32Array store does it. */
@inline function toUint32(v: f64): i32 {
  return <i32>(<i64>v)
}

/** subtreeEnd: a node's subtree ends where the next node at its depth or shallower begins (`open`: n entries). */
export function subtreeEnds(n: i32, depth: usize, subtreeEnd: usize, open: usize): void {
  let top: i32 = 0
  for (let j: i32 = 0; j < n; j++) {
    const d = i32At(depth, j)
    while (top > 0 && i32At(depth, i32At(open, top - 1)) >= d) setI32(subtreeEnd, i32At(open, --top), j)
    setI32(open, top++, j)
  }
  while (top > 0) setI32(subtreeEnd, i32At(open, --top), n)
}

/**
 * Per-function self and total from the nodes (the function arrays zeroed by the caller; onPath: one
 * entry per function, zeroed; open: n entries). A node adds its total to its function only when no
 * ancestor belongs to the same function, so a recursive function's total counts each sample once.
 */
export function functionValues(
  n: i32,
  func: usize,
  subtreeEnd: usize,
  self: usize,
  total: usize,
  selfSamples: usize,
  totalSamples: usize,
  fnSelf: usize,
  fnTotal: usize,
  fnSelfSamples: usize,
  fnTotalSamples: usize,
  onPath: usize,
  open: usize,
): void {
  let top: i32 = 0
  for (let i: i32 = 0; i < n; i++) {
    while (top > 0 && i32At(subtreeEnd, i32At(open, top - 1)) <= i) {
      const g = i32At(func, i32At(open, --top))
      setI32(onPath, g, i32At(onPath, g) - 1)
    }
    const f = i32At(func, i)
    setF64(fnSelf, f, f64At(fnSelf, f) + f64At(self, i))
    setI32(fnSelfSamples, f, i32At(fnSelfSamples, f) + i32At(selfSamples, i))
    if (i32At(onPath, f) == 0) {
      setF64(fnTotal, f, f64At(fnTotal, f) + f64At(total, i))
      setI32(fnTotalSamples, f, i32At(fnTotalSamples, f) + i32At(totalSamples, i))
    }
    setI32(onPath, f, i32At(onPath, f) + 1)
    setI32(open, top++, i)
  }
}
