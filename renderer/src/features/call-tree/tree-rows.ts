/**
 * The call tree table's pure logic: what the Self and Total columns mean in each view, which rows are
 * visible given the expanded nodes and the sort, expanding down to a node or along the heaviest path,
 * and keyboard moves between rows.
 */
import { heaviestPath } from '../../../../core/analysis/call-tree.js'
import { type CallTree, type FunctionIndex, getFunctionName } from '../../../../core/model/call-tree.js'
import type { NodeIndex } from '../../../../core/model/units.js'

/**
 * `top-down`: the call tree. `bottom-up`: the inverted tree (functions where the value was spent, then
 * their callers). `callers`/`callees`: the two halves of a function's sandwich.
 */
export type TreeMode = 'top-down' | 'bottom-up' | 'callers' | 'callees'
export type SortColumn = 'self' | 'total' | 'name'

export interface TreeSort {
  column: SortColumn
  descending: boolean
}

/** The value shown in each column for a node; null leaves the cell empty. */
export interface ColumnValues {
  self(node: NodeIndex): number | null
  total(node: NodeIndex): number | null
  /** The column whose descending order is the tree's own sibling order (no sorting needed). */
  treeOrder: SortColumn
}

/** Each view opens sorted by its tree order: Total for top-down and sandwiches, Self for bottom-up (as DevTools). */
export function defaultSort(mode: TreeMode): TreeSort {
  return { column: mode === 'bottom-up' ? 'self' : 'total', descending: true }
}

/**
 * Column meanings per view. Top-down and callees: a node's own self and total. Bottom-up: "Self" is the
 * root-level function's self value through this chain of callers (core's inverted-tree total), and
 * "Total" is the function's total, shown on the root-level rows only (deeper rows have no meaningful
 * total in the inverted tree). Callers: the sandwiched function's total through each chain, under Total.
 */
export function columnValues(tree: CallTree, mode: TreeMode): ColumnValues {
  const { nodes, functions } = tree
  switch (mode) {
    case 'top-down':
    case 'callees':
      return { self: (n) => nodes.self[n]!, total: (n) => nodes.total[n]!, treeOrder: 'total' }
    case 'bottom-up':
      return {
        self: (n) => nodes.total[n]!,
        total: (n) => (nodes.depth[n] === 1 ? functions.total[nodes.func[n]!]! : null),
        treeOrder: 'self',
      }
    case 'callers':
      return { self: () => null, total: (n) => nodes.total[n]!, treeOrder: 'total' }
  }
}

/** The children of a node in tree order (total descending). */
export function childrenOf(tree: CallTree, node: NodeIndex): NodeIndex[] {
  const out: NodeIndex[] = []
  const end = tree.nodes.subtreeEnd[node]!
  for (let c = node + 1; c < end; c = tree.nodes.subtreeEnd[c]!) out.push(c)
  return out
}

export function hasChildren(tree: CallTree, node: NodeIndex): boolean {
  return tree.nodes.subtreeEnd[node]! > node + 1
}

/**
 * Sorts siblings; the tree's own order breaks ties, so equal rows never jump around. Empty cells (null)
 * sort as the smallest values.
 */
export function sortSiblings(tree: CallTree, siblings: NodeIndex[], sort: TreeSort, values: ColumnValues): NodeIndex[] {
  if (sort.descending && sort.column === values.treeOrder) return siblings
  const sign = sort.descending ? -1 : 1
  const keyed = siblings.map((node, order) => {
    const key: number | string =
      sort.column === 'name'
        ? getFunctionName(tree.functions, tree.nodes.func[node]!).toLowerCase()
        : (values[sort.column](node) ?? -Infinity)
    return { node, order, key }
  })
  keyed.sort((a, b) => {
    if (a.key < b.key) return -sign
    if (a.key > b.key) return sign
    return a.order - b.order
  })
  return keyed.map((k) => k.node)
}

/** The rows on screen, in order, with their indentation. */
export interface VisibleRows {
  length: number
  node: Int32Array
  indent: Int32Array
}

/**
 * The visible rows: a depth-first walk that enters expanded nodes only, children sorted. With
 * `showRoot` false the root is not a row and its children are the top level (the root is always open).
 * Cost: the visible rows plus the sorting of the expanded nodes' children.
 */
export function flattenTree(tree: CallTree, expanded: Uint8Array, sort: TreeSort, values: ColumnValues, showRoot: boolean): VisibleRows {
  const nodeOut: number[] = []
  const indentOut: number[] = []
  if (tree.nodes.length === 0) return { length: 0, node: new Int32Array(0), indent: new Int32Array(0) }
  const stack: { node: number; indent: number }[] = []
  const pushChildren = (node: number, indent: number): void => {
    const kids = sortSiblings(tree, childrenOf(tree, node), sort, values)
    for (let k = kids.length - 1; k >= 0; k--) stack.push({ node: kids[k]!, indent })
  }
  if (showRoot) stack.push({ node: 0, indent: 0 })
  else pushChildren(0, 0)
  while (stack.length > 0) {
    const { node, indent } = stack.pop()!
    nodeOut.push(node)
    indentOut.push(indent)
    if (expanded[node] === 1) pushChildren(node, indent + 1)
  }
  return { length: nodeOut.length, node: Int32Array.from(nodeOut), indent: Int32Array.from(indentOut) }
}

/** Opens every ancestor of `node` so its row is visible. */
export function expandTo(tree: CallTree, expanded: Uint8Array, node: NodeIndex): void {
  for (let p = tree.nodes.parent[node]!; p >= 0; p = tree.nodes.parent[p]!) expanded[p] = 1
}

/**
 * Opens the heaviest path from `from` down to its hottest leaf (Chrome DevTools' "expand the heaviest
 * path") and returns that leaf, for the caller to select.
 */
export function expandHeaviestPath(tree: CallTree, expanded: Uint8Array, from: NodeIndex): NodeIndex {
  expandTo(tree, expanded, from)
  const path = heaviestPath(tree, from)
  for (let k = 0; k < path.length - 1; k++) expanded[path[k]!] = 1
  return path[path.length - 1]!
}

/** Per function, its top-down node with the largest total (-1 when it has none): the box to show for a function. */
export function heaviestNodeByFunction(tree: CallTree): Int32Array {
  const best = new Int32Array(tree.functions.length).fill(-1)
  const { func, total } = tree.nodes
  for (let i = 0; i < tree.nodes.length; i++) {
    const f = func[i]!
    const b = best[f]!
    if (b < 0 || total[i]! > total[b]!) best[f] = i
  }
  return best
}

/** The root-level row of a function in a bottom-up tree, or -1. */
export function bottomUpRowOf(bottomUp: CallTree, fn: FunctionIndex): NodeIndex {
  for (const c of childrenOf(bottomUp, 0)) if (bottomUp.nodes.func[c] === fn) return c
  return -1
}

/** What a key does to the selection and expansion of a tree table. */
export type TreeKeyAction =
  | { kind: 'select'; node: NodeIndex }
  | { kind: 'expand'; node: NodeIndex }
  | { kind: 'collapse'; node: NodeIndex }
  | { kind: 'heaviest'; from: NodeIndex }
  | { kind: 'none' }

/**
 * The WAI-ARIA treegrid keys: Up/Down move, Right opens or goes to the first child, Left closes or goes
 * to the parent, Home/End jump, PageUp/PageDown move a page; `*` or `h` expands the heaviest path.
 */
export function treeKeyAction(
  key: string,
  rows: VisibleRows,
  selected: NodeIndex | null,
  tree: CallTree,
  expanded: Uint8Array,
  pageSize: number,
  showRoot: boolean,
): TreeKeyAction {
  if (rows.length === 0) return { kind: 'none' }
  let at = -1
  if (selected !== null) for (let k = 0; k < rows.length; k++) if (rows.node[k] === selected) at = k
  const select = (k: number): TreeKeyAction => ({ kind: 'select', node: rows.node[Math.max(0, Math.min(rows.length - 1, k))]! })
  if (at < 0) {
    if (key === '*' || key === 'h') return { kind: 'heaviest', from: 0 }
    return ['ArrowDown', 'ArrowUp', 'Home', 'End', 'PageDown', 'PageUp', 'ArrowRight', 'ArrowLeft'].includes(key)
      ? select(key === 'End' ? rows.length - 1 : 0)
      : { kind: 'none' }
  }
  const node = rows.node[at]!
  switch (key) {
    case 'ArrowDown':
      return select(at + 1)
    case 'ArrowUp':
      return select(at - 1)
    case 'Home':
      return select(0)
    case 'End':
      return select(rows.length - 1)
    case 'PageDown':
      return select(at + pageSize)
    case 'PageUp':
      return select(at - pageSize)
    case 'ArrowRight':
      if (!hasChildren(tree, node)) return { kind: 'none' }
      return expanded[node] === 1 ? select(at + 1) : { kind: 'expand', node }
    case 'ArrowLeft': {
      if (expanded[node] === 1 && hasChildren(tree, node)) return { kind: 'collapse', node }
      const parent = tree.nodes.parent[node]!
      if (parent < 0 || (parent === 0 && !showRoot)) return { kind: 'none' }
      return { kind: 'select', node: parent }
    }
    case '*':
    case 'h':
      return { kind: 'heaviest', from: node }
    default:
      return { kind: 'none' }
  }
}
