/**
 * Search in a call tree for the flame graph: which functions and nodes match a query, and what share
 * of the total the matching call paths hold (each sample counted once, even under nested matches).
 */
import type { CallTree, FunctionIndex } from '../../../../core/model/call-tree.js'
import type { NodeIndex, UnitInterval } from '../../../../core/model/units.js'

/** Per function, 1 when its name or `url:line` contains the query (case-insensitive). Empty query: null. */
export function matchFunctions(
  functions: { length: number; name: readonly string[]; url: readonly string[]; line: ArrayLike<number> },
  query: string,
): Uint8Array | null {
  const q = query.trim().toLowerCase()
  if (q === '') return null
  const out = new Uint8Array(functions.length)
  for (let f = 0; f < functions.length; f++) {
    const name = (functions.name[f] || '(anonymous)').toLowerCase()
    if (name.includes(q)) {
      out[f] = 1
      continue
    }
    const url = functions.url[f] ?? ''
    if (url !== '' && `${url}:${functions.line[f] ?? 0}`.toLowerCase().includes(q)) out[f] = 1
  }
  return out
}

/** Per node, the match flag of its function. */
export function matchNodes(func: Int32Array, functionMatches: Uint8Array): Uint8Array {
  const out = new Uint8Array(func.length)
  for (let i = 0; i < func.length; i++) out[i] = functionMatches[func[i]!]!
  return out
}

/**
 * The value under matching nodes over the root total: a matching node's subtree is counted once and
 * then skipped, so matches nested inside matches (recursion, or a name matching twice on a stack) do not
 * count twice. Nodes are in pre-order with `subtreeEnd`, as in CallTree.
 */
export function matchedShare(
  nodes: { length: number; subtreeEnd: Int32Array; total: Float64Array },
  nodeMatches: Uint8Array,
): UnitInterval {
  const rootTotal = nodes.length > 0 ? nodes.total[0]! : 0
  if (!(rootTotal > 0)) return 0
  let sum = 0
  for (let i = 0; i < nodes.length;) {
    if (nodeMatches[i] === 1) {
      sum += nodes.total[i]!
      i = nodes.subtreeEnd[i]!
    } else {
      i++
    }
  }
  return Math.min(1, sum / rootTotal)
}

export interface TreeSearchResult {
  /** Per node, 1 for a match. */
  nodeMatches: Uint8Array
  /** Nodes that match (boxes of the aggregated flame graph). */
  nodeCount: number
  functionCount: number
  /** Share of the root total spent under matching frames. */
  totalShare: UnitInterval
  /** The heaviest matching node, to jump to; -1 when nothing matches. */
  heaviest: NodeIndex
}

/** Searches a call tree; null for an empty query. The root pseudo-frame never matches. */
export function searchTree(tree: CallTree, query: string): TreeSearchResult | null {
  const fnMatches = matchFunctions(tree.functions, query)
  if (!fnMatches) return null
  const rootFn: FunctionIndex = tree.nodes.func[0] ?? -1
  if (rootFn >= 0) fnMatches[rootFn] = 0
  const nodeMatches = matchNodes(tree.nodes.func, fnMatches)
  let nodeCount = 0
  let heaviest = -1
  for (let i = 0; i < nodeMatches.length; i++) {
    if (nodeMatches[i] !== 1 || !(tree.nodes.total[i]! > 0)) {
      nodeMatches[i] = 0
      continue
    }
    nodeCount++
    if (heaviest < 0 || tree.nodes.total[i]! > tree.nodes.total[heaviest]!) heaviest = i
  }
  let functionCount = 0
  for (let f = 0; f < fnMatches.length; f++) if (fnMatches[f] === 1 && tree.functions.total[f]! > 0) functionCount++
  return { nodeMatches, nodeCount, functionCount, totalShare: matchedShare(tree.nodes, nodeMatches), heaviest }
}
