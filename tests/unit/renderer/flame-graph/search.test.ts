import { describe, expect, it } from 'vitest'
import { getFunctionName } from '../../../../core/model/call-tree.js'
import { matchFunctions, matchedShare, searchTree } from '../../../../renderer/src/features/flame-graph/search.js'
import { treeFromText } from '../../../helpers/profile-from-text.js'

const tree = treeFromText(`
  main     main     main     main           main
  parse    parse    render   render         helper@file:///app/node_modules/lib/index.js
  parse    lex      paint    parseColor
`)

const names = (matches: Uint8Array | null): string[] =>
  matches ? tree.functions.name.filter((_, f) => matches[f] === 1).map((n) => n || '(anonymous)') : []

describe('matchFunctions', () => {
  it('matches names case-insensitively', () => {
    expect(names(matchFunctions(tree.functions, 'PARSE')).sort()).toEqual(['parse', 'parseColor'])
  })

  it('matches script locations too', () => {
    expect(names(matchFunctions(tree.functions, 'node_modules/lib'))).toEqual(['helper'])
  })

  it('returns null for an empty query', () => {
    expect(matchFunctions(tree.functions, '   ')).toBeNull()
  })
})

describe('searchTree', () => {
  it('counts matching frames and the share of time under them, nested matches once', () => {
    const result = searchTree(tree, 'parse')!
    // parse (2 samples, with parse → parse recursion inside) and render → parseColor (1 sample).
    const matched = Array.from(result.nodeMatches.keys()).filter((i) => result.nodeMatches[i] === 1)
    expect(matched.map((i) => getFunctionName(tree.functions, tree.nodes.func[i]!)).sort()).toEqual(['parse', 'parse', 'parseColor'])
    expect(result.nodeCount).toBe(3)
    expect(result.functionCount).toBe(2)
    expect(result.totalShare).toBeCloseTo(3 / 5, 12)
    expect(getFunctionName(tree.functions, tree.nodes.func[result.heaviest]!)).toBe('parse')
  })

  it('never matches the root pseudo-frame', () => {
    const result = searchTree(tree, 'root')!
    expect(result.nodeCount).toBe(0)
    expect(result.totalShare).toBe(0)
    expect(result.heaviest).toBe(-1)
  })

  it('computes the matched share from any pre-order table', () => {
    // root(10) → a(6) → b(2); root → c(4)
    const nodes = { length: 4, subtreeEnd: Int32Array.from([4, 3, 3, 4]), total: Float64Array.from([10, 6, 2, 4]) }
    expect(matchedShare(nodes, Uint8Array.from([0, 1, 1, 0]))).toBeCloseTo(0.6, 12)
    expect(matchedShare(nodes, Uint8Array.from([0, 0, 1, 1]))).toBeCloseTo(0.6, 12)
    expect(matchedShare(nodes, Uint8Array.from([1, 1, 1, 1]))).toBe(1)
  })
})
