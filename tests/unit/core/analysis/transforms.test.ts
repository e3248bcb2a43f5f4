import { describe, expect, it } from 'vitest'
import { collapseRecursion, dropFunction, dropIdle, focusFunction, mergeFunction } from '../../../../core/analysis/transforms.js'
import { findFunctionByName, getTreeTotal } from '../../../../core/model/call-tree.js'
import { dumpTree, selfTimeByName, totalTimeByName, treeFromText } from '../../../helpers/profile-from-text.js'

const dump = (tree: Parameters<typeof dumpTree>[0]): string[] => dumpTree(tree, { digits: 0 }).split('\n')

describe('focusFunction', () => {
  it('roots the tree at the function, merging every call path through it', () => {
    const tree = treeFromText(`
      main  main  other  other  main
      f     a     f      b
      g     f     g
            h
    `)
    const f = findFunctionByName(tree, 'f')
    const focused = focusFunction(tree, f)
    expect(getTreeTotal(focused)).toBe(tree.functions.total[f])
    expect(dump(focused)).toEqual(['g 2ms', 'h 1ms'])
    expect(focused.functions.name[focused.nodes.func[0]!]).toBe('f')
    // Function indexes survive, and the timeline keeps only the samples through f.
    expect(findFunctionByName(focused, 'g')).toBe(findFunctionByName(tree, 'g'))
    expect(focused.timeline!.length).toBe(3)
  })

  it('keeps inner recursive calls below the outermost one', () => {
    const tree = treeFromText(`
      f  f
      f  g
      g
    `)
    expect(dump(focusFunction(tree, findFunctionByName(tree, 'f')))).toEqual(['f;g 1ms', 'g 1ms'])
  })
})

describe('mergeFunction', () => {
  it('moves a function’s self time to its callers and its callees up', () => {
    const tree = treeFromText(`
      main  main  main
      b     b     c
      c
    `)
    const merged = mergeFunction(tree, findFunctionByName(tree, 'b'))
    expect(dump(merged)).toEqual(['main 1ms', 'main;c 2ms'])
    expect(getTreeTotal(merged)).toBe(getTreeTotal(tree))
    expect(totalTimeByName(merged).b).toBe(0)
  })
})

describe('collapseRecursion', () => {
  it('folds indirect recursion of one function into its outermost call (A→f→B→f→C becomes A→f→C)', () => {
    const tree = treeFromText(`
      A  A  A
      f  f  f
      B  B  B
      f  f
      C
    `)
    const collapsed = collapseRecursion(tree, findFunctionByName(tree, 'f'))
    expect(dump(collapsed)).toEqual(['A;f 1ms', 'A;f;B 1ms', 'A;f;C 1ms'])
    expect(totalTimeByName(collapsed)).toMatchObject({ f: 3, B: 1, C: 1 })
  })

  it('collapses direct recursion of every function when none is named', () => {
    const tree = treeFromText(`
      f  f  g
      f  f  g
      f  h  k
      g     g
    `)
    expect(dump(collapseRecursion(tree))).toEqual(['f;g 1ms', 'f;h 1ms', 'g;k;g 1ms'])
  })
})

describe('dropping', () => {
  it('drops idle samples from the totals and the timeline', () => {
    const tree = treeFromText(`
      main  (idle)  (idle)  main
      work                  work
    `)
    const busy = dropIdle(tree)
    expect(getTreeTotal(busy)).toBe(2)
    expect(selfTimeByName(busy)).toMatchObject({ work: 2, '(idle)': 0 })
    expect(Array.from(busy.timeline!.startMs)).toEqual([0, 3])
    expect(dropIdle(busy)).toBe(busy)
  })

  it('drops every call path through a function', () => {
    const tree = treeFromText(`
      main  main  main
      log   work  work
      fmt
    `)
    const dropped = dropFunction(tree, findFunctionByName(tree, 'log'))
    expect(dump(dropped)).toEqual(['main;work 2ms'])
  })
})
