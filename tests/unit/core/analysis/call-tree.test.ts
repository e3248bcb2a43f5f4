import { describe, expect, it } from 'vitest'
import { computeBottomUp, computeSandwich, heaviestPath, topFunctions } from '../../../../core/analysis/call-tree.js'
import { importCpuProfile } from '../../../../core/import/cpuprofile.js'
import { type CallTree, findFunctionByName, getChildren, getTreeTotal } from '../../../../core/model/call-tree.js'
import { readProfileFixture, totalTimeByName, treeFromText } from '../../../helpers/profile-from-text.js'

/** `name total` per node in pre-order, indented by depth (root left out): the shape of a tree at a glance. */
function outline(tree: CallTree): string {
  const lines: string[] = []
  for (let i = 1; i < tree.nodes.length; i++) {
    const name = tree.functions.name[tree.nodes.func[i] as number]
    lines.push(`${'  '.repeat((tree.nodes.depth[i] as number) - 1)}${name} ${tree.nodes.total[i]}`)
  }
  return lines.join('\n')
}

describe('the tree model', () => {
  it('orders siblings heaviest first and keeps subtrees contiguous', () => {
    const tree = treeFromText(`
      main  main   main   main
      a     b      b      b
            c      d      c
    `)
    expect(outline(tree)).toBe(['main 4', '  b 3', '    c 2', '    d 1', '  a 1'].join('\n'))
    const main = getChildren(tree, 0)[0]!
    expect(getChildren(tree, main).map((n) => tree.functions.name[tree.nodes.func[n]!])).toEqual(['b', 'a'])
    expect(tree.nodes.subtreeEnd[main]).toBe(tree.nodes.length)
  })
})

describe('computeBottomUp', () => {
  it('inverts the tree: roots are where time was spent, children are callers', () => {
    const tree = treeFromText(`
      main  main  main  other
      a     b     b     b
      x     x
    `)
    const inverted = computeBottomUp(tree)
    expect(outline(inverted)).toBe(['b 2', '  main 1', '  other 1', 'x 2', '  a 1', '    main 1', '  b 1', '    main 1'].join('\n'))
    expect(getTreeTotal(inverted)).toBe(getTreeTotal(tree))
    // The function table keeps the original tree's values.
    expect(totalTimeByName(inverted)).toEqual(totalTimeByName(tree))
  })

  it('handles the recorded deep recursion', () => {
    const tree = importCpuProfile(JSON.parse(readProfileFixture('deep-recursion.cpuprofile')))
    const inverted = computeBottomUp(tree)
    expect(getTreeTotal(inverted)).toBeCloseTo(getTreeTotal(tree), 9)
    // Each root of the inverted tree carries its function's self time.
    for (const root of getChildren(inverted, 0)) {
      const fn = inverted.nodes.func[root]!
      expect(inverted.nodes.total[root]).toBeCloseTo(tree.functions.self[fn]!, 9)
    }
  })
})

describe('computeSandwich', () => {
  const tree = treeFromText(`
    main  main  main  main  other
    f     f     a     a     f
    g     f     f     f
          h           f
                      g
  `)
  const f = findFunctionByName(tree, 'f')

  it('gives the callers of a function as an inverted tree', () => {
    const { callers } = computeSandwich(tree, f)
    expect(getTreeTotal(callers)).toBe(tree.functions.total[f])
    // f was called by main directly (2 samples), by a (called by main; 2) and by other (1).
    expect(outline(callers)).toBe(['a 2', '  main 2', 'main 2', 'other 1'].join('\n'))
  })

  it('gives the callees of a function merged, with its recursion collapsed', () => {
    const { callees } = computeSandwich(tree, f)
    expect(getTreeTotal(callees)).toBe(5)
    expect(outline(callees)).toBe(['g 2', 'h 1'].join('\n'))
    expect(callees.functions.name[callees.nodes.func[0]!]).toBe('f')
    expect(callees.nodes.self[0]).toBe(2)
  })
})

describe('heaviestPath', () => {
  it('follows the heaviest child down from a node', () => {
    const tree = treeFromText(`
      main  main  main
      a     b     b
      x     y     z
                  w
    `)
    const names = heaviestPath(tree).map((n) => tree.functions.name[tree.nodes.func[n]!])
    expect(names).toEqual(['(root)', 'main', 'b', 'y'])
    const b = heaviestPath(tree)[2]!
    expect(heaviestPath(tree, b)[0]).toBe(b)
  })
})

describe('topFunctions', () => {
  it('ranks by self or total, leaving out the root pseudo-function', () => {
    const tree = treeFromText(`
      main  main  main  main  (idle)
      a     a     b     a
            c
    `)
    expect(topFunctions(tree, 'self', 3).map((f) => [f.name, f.self])).toEqual([
      ['a', 2],
      ['(idle)', 1],
      ['b', 1],
    ])
    const byTotal = topFunctions(tree, 'total', 2)
    expect(byTotal.map((f) => [f.name, f.total, f.totalShare])).toEqual([
      ['main', 4, 0.8],
      ['a', 3, 0.6],
    ])
    expect(byTotal[0]!.category).toBe('user')
    expect(topFunctions(tree, 'self', 0)).toEqual([])
  })
})
