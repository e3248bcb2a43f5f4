import { describe, expect, it } from 'vitest'
import { computeBottomUp, computeSandwich } from '../../../../core/analysis/call-tree.js'
import { type CallTree, findFunctionByName, getFunctionName } from '../../../../core/model/call-tree.js'
import {
  type TreeSort,
  type VisibleRows,
  bottomUpRowOf,
  columnValues,
  defaultSort,
  expandHeaviestPath,
  expandTo,
  flattenTree,
  heaviestNodeByFunction,
  treeKeyAction,
} from '../../../../renderer/src/features/call-tree/tree-rows.js'
import { treeFromText } from '../../../helpers/profile-from-text.js'

// main: 6 samples. parse 3 (lex 2), render 2 (paint 1), zeta 1. `lex` also under render.
const tree = treeFromText(`
  main   main   main   main    main    main
  parse  parse  parse  render  render  zeta
  lex    lex           paint   lex
`)

const nameOf = (t: CallTree, node: number): string => getFunctionName(t.functions, t.nodes.func[node]!)
/** Visible rows as indented names: "  parse" is a child of a top-level row. */
const dump = (t: CallTree, rows: VisibleRows): string[] =>
  Array.from(rows.node, (node, k) => '  '.repeat(rows.indent[k]!) + nameOf(t, node))
const nodeAt = (t: CallTree, path: string[]): number => {
  let node = 0
  for (const name of path) {
    let found = -1
    for (let c = node + 1; c < t.nodes.subtreeEnd[node]!; c = t.nodes.subtreeEnd[c]!) if (nameOf(t, c) === name) found = c
    if (found < 0) throw new Error(`no ${path.join('/')}`)
    node = found
  }
  return node
}
const open = (t: CallTree): Uint8Array => {
  const e = new Uint8Array(t.nodes.length)
  e[0] = 1
  return e
}

describe('flattenTree', () => {
  it('shows the root’s children, then the children of expanded nodes, heaviest first', () => {
    const expanded = open(tree)
    const values = columnValues(tree, 'top-down')
    expect(dump(tree, flattenTree(tree, expanded, defaultSort('top-down'), values, false))).toEqual(['main'])
    expandTo(tree, expanded, nodeAt(tree, ['main', 'render', 'paint']))
    expect(dump(tree, flattenTree(tree, expanded, defaultSort('top-down'), values, false))).toEqual([
      'main',
      '  parse',
      '  render',
      '    lex',
      '    paint',
      '  zeta',
    ])
    expect(dump(tree, flattenTree(tree, expanded, defaultSort('top-down'), values, true))[0]).toBe('(root)')
  })

  it('sorts siblings by name or self, keeping the tree order for ties', () => {
    const expanded = open(tree)
    expandTo(tree, expanded, nodeAt(tree, ['main', 'parse', 'lex']))
    const values = columnValues(tree, 'top-down')
    const byName: TreeSort = { column: 'name', descending: false }
    expect(dump(tree, flattenTree(tree, expanded, byName, values, false))).toEqual(['main', '  parse', '    lex', '  render', '  zeta'])
    const bySelfUp: TreeSort = { column: 'self', descending: false }
    // Self: parse 1, render 0, zeta 1 → render, then parse and zeta in tree order.
    expect(dump(tree, flattenTree(tree, expanded, bySelfUp, values, false))).toEqual(['main', '  render', '  parse', '    lex', '  zeta'])
    const byTotalUp: TreeSort = { column: 'total', descending: false }
    expect(dump(tree, flattenTree(tree, expanded, byTotalUp, values, false)).slice(1, 3)).toEqual(['  zeta', '  render'])
  })
})

describe('column values', () => {
  it('shows self and total top-down', () => {
    const v = columnValues(tree, 'top-down')
    const parse = nodeAt(tree, ['main', 'parse'])
    expect([v.self(parse), v.total(parse)]).toEqual([1, 3])
  })

  it('bottom-up: self through each caller chain, the function total on root-level rows only', () => {
    const bottomUp = computeBottomUp(tree)
    const v = columnValues(bottomUp, 'bottom-up')
    const lex = nodeAt(bottomUp, ['lex'])
    expect([v.self(lex), v.total(lex)]).toEqual([3, 3])
    const lexFromRender = nodeAt(bottomUp, ['lex', 'render'])
    expect([v.self(lexFromRender), v.total(lexFromRender)]).toEqual([1, null])
    // Bottom-up opens sorted by self, which is its tree order (main has no self time, so no row).
    const expanded = open(bottomUp)
    expect(dump(bottomUp, flattenTree(bottomUp, expanded, defaultSort('bottom-up'), v, false))).toEqual(['lex', 'paint', 'parse', 'zeta'])
    // Sorting by total re-sorts the root level by the functions' totals: parse (3) moves above paint (1).
    expect(dump(bottomUp, flattenTree(bottomUp, expanded, { column: 'total', descending: true }, v, false))).toEqual([
      'lex',
      'parse',
      'paint',
      'zeta',
    ])
  })

  it('sandwich callers: the function’s total through each caller, no self', () => {
    const lex = findFunctionByName(tree, 'lex')
    const { callers } = computeSandwich(tree, lex)
    const v = columnValues(callers, 'callers')
    expect(v.self(nodeAt(callers, ['parse']))).toBeNull()
    expect(v.total(nodeAt(callers, ['parse']))).toBe(2)
    expect(v.total(nodeAt(callers, ['render']))).toBe(1)
  })
})

describe('expansion helpers', () => {
  it('expands the heaviest path and returns its leaf', () => {
    const expanded = open(tree)
    const leaf = expandHeaviestPath(tree, expanded, 0)
    expect(nameOf(tree, leaf)).toBe('lex')
    expect(dump(tree, flattenTree(tree, expanded, defaultSort('top-down'), columnValues(tree, 'top-down'), false))).toEqual([
      'main',
      '  parse',
      '    lex',
      '  render',
      '  zeta',
    ])
  })

  it('finds the heaviest node of every function, and a function’s bottom-up row', () => {
    const heaviest = heaviestNodeByFunction(tree)
    expect(heaviest[findFunctionByName(tree, 'lex')]).toBe(nodeAt(tree, ['main', 'parse', 'lex']))
    const bottomUp = computeBottomUp(tree)
    expect(bottomUpRowOf(bottomUp, findFunctionByName(tree, 'paint'))).toBe(nodeAt(bottomUp, ['paint']))
    expect(bottomUpRowOf(bottomUp, findFunctionByName(tree, 'render'))).toBe(-1)
  })
})

describe('treeKeyAction', () => {
  const expanded = open(tree)
  expandTo(tree, expanded, nodeAt(tree, ['main', 'parse', 'lex']))
  const rows = flattenTree(tree, expanded, defaultSort('top-down'), columnValues(tree, 'top-down'), false)
  const act = (key: string, selected: number | null) => treeKeyAction(key, rows, selected, tree, expanded, 2, false)
  const main = nodeAt(tree, ['main'])
  const parse = nodeAt(tree, ['main', 'parse'])
  const render = nodeAt(tree, ['main', 'render'])

  it('moves up and down the visible rows, and by pages', () => {
    expect(act('ArrowDown', main)).toEqual({ kind: 'select', node: parse })
    expect(act('ArrowUp', parse)).toEqual({ kind: 'select', node: main })
    expect(act('ArrowUp', main)).toEqual({ kind: 'select', node: main })
    expect(act('End', main)).toEqual({ kind: 'select', node: nodeAt(tree, ['main', 'zeta']) })
    expect(act('PageDown', main)).toEqual({ kind: 'select', node: nodeAt(tree, ['main', 'parse', 'lex']) })
    expect(act('ArrowDown', null)).toEqual({ kind: 'select', node: main })
  })

  it('opens, enters, closes and leaves rows with the right and left arrows', () => {
    expect(act('ArrowRight', render)).toEqual({ kind: 'expand', node: render })
    expect(act('ArrowRight', parse)).toEqual({ kind: 'select', node: nodeAt(tree, ['main', 'parse', 'lex']) })
    expect(act('ArrowLeft', parse)).toEqual({ kind: 'collapse', node: parse })
    expect(act('ArrowLeft', render)).toEqual({ kind: 'select', node: main })
    // The hidden root is not a row to go to.
    expect(act('ArrowLeft', nodeAt(tree, ['main', 'zeta']))).toEqual({ kind: 'select', node: main })
    expect(treeKeyAction('ArrowLeft', rows, main, tree, new Uint8Array(tree.nodes.length), 2, false)).toEqual({ kind: 'none' })
    expect(act('ArrowRight', nodeAt(tree, ['main', 'zeta']))).toEqual({ kind: 'none' })
  })

  it('expands the heaviest path with * or h', () => {
    expect(act('*', render)).toEqual({ kind: 'heaviest', from: render })
    expect(act('h', null)).toEqual({ kind: 'heaviest', from: 0 })
    expect(act('q', render)).toEqual({ kind: 'none' })
  })
})
