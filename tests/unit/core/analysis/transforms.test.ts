import { describe, expect, it } from 'vitest'
import {
  NODE_INTERNALS_BOX,
  type ProfileTransform,
  applyTransforms,
  callPathKeys,
  collapseModule,
  collapseNodeInternals,
  collapseRecursion,
  describeTransform,
  dropFunction,
  dropIdle,
  focusFunction,
  focusSubtree,
  mergeFunction,
  moduleOf,
} from '../../../../core/analysis/transforms.js'
import { importCpuProfile } from '../../../../core/import/cpuprofile.js'
import { type CallTree, findFunctionByName, getNodePath, getTreeTotal } from '../../../../core/model/call-tree.js'
import { dumpTree, readProfileFixture, selfTimeByName, totalTimeByName, treeFromText } from '../../../helpers/profile-from-text.js'

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

/** Real profiles (tests/fixtures/profiles/node-20.20.2): the order book's naive variant and prettier 3. */
const orderbook = importCpuProfile(JSON.parse(readProfileFixture('orderbook-naive.cpuprofile')))
const prettier = importCpuProfile(JSON.parse(readProfileFixture('prettier-check.cpuprofile')))
const keyOf = (tree: CallTree, name: string): string => tree.functions.key[findFunctionByName(tree, name)] as string
const rootName = (tree: CallTree): string => tree.functions.name[tree.nodes.func[0] as number] as string
/** Functions with time left on some node (a transform keeps every function in the table). */
const liveNames = (tree: CallTree): Set<string> => new Set(Array.from(tree.nodes.func, (f) => tree.functions.name[f] as string))

describe('focusSubtree (real order book profile)', () => {
  it('roots the tree at one call path and keeps only its samples', () => {
    const fn = findFunctionByName(orderbook, 'rebuildHeap')
    const node = orderbook.nodes.func.indexOf(fn)
    const path = getNodePath(orderbook, node)
      .slice(1)
      .map((n) => orderbook.nodes.func[n] as number)
    const focused = focusSubtree(orderbook, path)
    expect(rootName(focused)).toBe('rebuildHeap')
    expect(getTreeTotal(focused)).toBeCloseTo(orderbook.nodes.total[node] as number, 9)
    expect(liveNames(focused).has('measure')).toBe(false)
    expect(focused.timeline!.length).toBe(orderbook.nodes.totalSamples[node])
    // Function indexes survive.
    expect(findFunctionByName(focused, 'siftDown')).toBe(findFunctionByName(orderbook, 'siftDown'))
  })

  it('differs from focus-function when the function has several call paths', () => {
    // setLevel is reached once; (garbage collector) hangs under many paths.
    const gc = findFunctionByName(orderbook, '(garbage collector)')
    const gcNodes = Array.from(orderbook.nodes.func).flatMap((f, i) => (f === gc ? [i] : []))
    expect(gcNodes.length).toBeGreaterThan(1)
    const one = gcNodes[1] as number
    const path = getNodePath(orderbook, one)
      .slice(1)
      .map((n) => orderbook.nodes.func[n] as number)
    expect(getTreeTotal(focusSubtree(orderbook, path))).toBeCloseTo(orderbook.nodes.total[one] as number, 9)
    expect(getTreeTotal(focusFunction(orderbook, gc))).toBeCloseTo(orderbook.functions.total[gc] as number, 9)
    expect(getTreeTotal(focusSubtree(orderbook, path))).toBeLessThan(orderbook.functions.total[gc] as number)
  })

  it('leaves an empty tree for a path the tree does not have, and the tree itself for the root', () => {
    const empty = focusSubtree(orderbook, [findFunctionByName(orderbook, 'rebuildHeap')])
    expect(getTreeTotal(empty)).toBe(0)
    expect(empty.nodes.length).toBe(1)
    expect(focusSubtree(orderbook, [])).toBe(orderbook)
  })
})

describe('collapsing modules (real profiles)', () => {
  it('moduleOf names packages, node: built-ins and scripts', () => {
    expect(moduleOf('file:///hotpath/node_modules/prettier/internal/legacy-cli.mjs')).toEqual({ id: 'npm:prettier', label: 'prettier' })
    expect(moduleOf('/a/node_modules/x/node_modules/@s/y/lib/i.js')).toEqual({ id: 'npm:@s/y', label: '@s/y' })
    expect(moduleOf('node:internal/timers')).toEqual({ id: 'node:internal/timers', label: 'node:internal/timers' })
    expect(moduleOf('file:///hotpath/dist/workloads/orderbook/naive.js')).toEqual({
      id: 'file:///hotpath/dist/workloads/orderbook/naive.js',
      label: 'naive.js',
    })
    expect(moduleOf('')).toBeNull()
  })

  it('folds every run of prettier frames into one prettier box, keeping the total', () => {
    const collapsed = collapseModule(prettier, 'npm:prettier')
    expect(getTreeTotal(collapsed)).toBeCloseTo(getTreeTotal(prettier), 6)
    const box = collapsed.functions.length - 1
    expect(collapsed.functions.name[box]).toBe('prettier')
    expect(collapsed.functions.category[box]).toBe('dependency')
    const left = Array.from(collapsed.nodes.func).filter((f) => f !== box && collapsed.functions.category[f] === 'dependency')
    expect(left).toEqual([])
    // Whatever prettier called outside itself (Node's fs, V8) still hangs below the box.
    let calleesBelowBox = 0
    for (let i = 1; i < collapsed.nodes.length; i++)
      if (collapsed.nodes.func[collapsed.nodes.parent[i] as number] === box) calleesBelowBox++
    expect(calleesBelowBox).toBeGreaterThan(0)
    // No box directly under a box: consecutive frames became one.
    for (let i = 1; i < collapsed.nodes.length; i++)
      if (collapsed.nodes.func[i] === box) expect(collapsed.nodes.func[collapsed.nodes.parent[i] as number]).not.toBe(box)
    // The box's self time is prettier's self time.
    let prettierSelf = 0
    for (let f = 0; f < prettier.functions.length; f++)
      if (prettier.functions.category[f] === 'dependency') prettierSelf += prettier.functions.self[f] as number
    expect(collapsed.functions.self[box]).toBeCloseTo(prettierSelf, 6)
    // Collapsing again changes nothing, and the box has a key that matches across runs.
    expect(dumpTree(collapseModule(collapsed, 'npm:prettier'))).toBe(dumpTree(collapsed))
    expect(collapsed.functions.key[box]).toBe('prettier npm:prettier:0:0')
  })

  it('collapses Node internals into one box (the order book harness: processImmediate → runNextTicks)', () => {
    const collapsed = collapseNodeInternals(orderbook)
    expect(getTreeTotal(collapsed)).toBeCloseTo(getTreeTotal(orderbook), 6)
    const names = liveNames(collapsed)
    expect(names.has(NODE_INTERNALS_BOX)).toBe(true)
    expect(names.has('processImmediate')).toBe(false)
    expect(names.has('runNextTicks')).toBe(false)
    const box = findFunctionByName(collapsed, NODE_INTERNALS_BOX)
    // processImmediate → runNextTicks was one run of internals: the box calls runMicrotasks directly.
    const boxNode = Array.from(collapsed.nodes.func).indexOf(box)
    expect(collapsed.functions.name[collapsed.nodes.func[boxNode + 1] as number]).toBe('runMicrotasks')
    expect(collapseNodeInternals(collapseNodeInternals(orderbook)).nodes.length).toBe(collapsed.nodes.length)
  })

  it('returns the tree itself when the module is not in it', () => {
    expect(collapseModule(orderbook, 'npm:prettier')).toBe(orderbook)
  })
})

describe('applyTransforms (keys, as the views and the diff send them)', () => {
  it('hides (program), (idle) and (garbage collector) from the totals', () => {
    const gc = findFunctionByName(orderbook, '(garbage collector)')
    const hidden = applyTransforms(orderbook, [{ type: 'hide-frame', frame: '(garbage collector)' }])
    expect(getTreeTotal(hidden)).toBeCloseTo(getTreeTotal(orderbook) - (orderbook.functions.total[gc] as number), 6)
    expect(liveNames(hidden).has('(garbage collector)')).toBe(false)
    const programless = applyTransforms(prettier, [{ type: 'hide-frame', frame: '(program)' }])
    expect(liveNames(programless).has('(program)')).toBe(false)
    expect(liveNames(prettier).has('(program)')).toBe(true)
  })

  it('applies a stack in order, by function key', () => {
    const stack: ProfileTransform[] = [
      { type: 'focus-function', fn: keyOf(orderbook, 'applyUpdatesNaive') },
      { type: 'merge-function', fn: keyOf(orderbook, 'applyUpdate') },
    ]
    const out = applyTransforms(orderbook, stack)
    expect(rootName(out)).toBe('applyUpdatesNaive')
    expect(liveNames(out).has('applyUpdate')).toBe(false)
    const setLevel = findFunctionByName(out, 'setLevel')
    expect(out.nodes.parent[Array.from(out.nodes.func).indexOf(setLevel)]).toBe(0)
    // Focus on a call path named by keys (callPathKeys of a node).
    const node = Array.from(orderbook.nodes.func).indexOf(findFunctionByName(orderbook, 'walk'))
    const byPath = applyTransforms(orderbook, [{ type: 'focus-subtree', path: callPathKeys(orderbook, node) }])
    expect(rootName(byPath)).toBe('walk')
    expect(getTreeTotal(byPath)).toBeCloseTo(orderbook.nodes.total[node] as number, 9)
  })

  it('makes a focus on an unknown function an empty tree and a merge of one nothing', () => {
    expect(getTreeTotal(applyTransforms(orderbook, [{ type: 'focus-function', fn: 'nope x:1:1' }]))).toBe(0)
    expect(applyTransforms(orderbook, [{ type: 'merge-function', fn: 'nope x:1:1' }])).toBe(orderbook)
  })

  it('describes each transform for the breadcrumb', () => {
    expect(describeTransform({ type: 'focus-function', fn: keyOf(orderbook, 'rebuildHeap') })).toBe('Focus: rebuildHeap')
    expect(describeTransform({ type: 'collapse-module', module: 'npm:hdr-histogram-js' })).toBe('Collapse: hdr-histogram-js')
    expect(describeTransform({ type: 'collapse-module', module: 'file:///a/b/naive.js' })).toBe('Collapse: naive.js')
    expect(describeTransform({ type: 'hide-frame', frame: '(idle)' })).toBe('Hide: (idle)')
    expect(describeTransform({ type: 'focus-subtree', path: [keyOf(orderbook, 'measure'), keyOf(orderbook, 'walk')] })).toBe(
      'Focus path: walk',
    )
  })
})
