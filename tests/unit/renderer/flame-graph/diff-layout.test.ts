import { describe, expect, it } from 'vitest'
import { diffProfiles } from '../../../../core/compare/call-tree-diff.js'
import {
  computeDiffFlameRows,
  computeDiffSideRows,
  findHeaviestNodeOf,
  getDiffNodePath,
} from '../../../../renderer/src/features/flame-graph/diff-layout.js'
import { profileFromText } from '../../../helpers/profile-from-text.js'

const diff = diffProfiles(
  [
    {
      profile: profileFromText(`
        main  main  main  main
        a     a     b     b
      `),
    },
  ],
  [
    {
      profile: profileFromText(`
        main  main  main  main
        a     a     a     c
      `),
    },
  ],
)
const tree = diff.tree
const nodeNamed = (name: string): number => {
  for (let i = 0; i < tree.length; i++) if (tree.functions.name[tree.func[i]!] === name) return i
  throw new Error(`no node ${name}`)
}
const boxes = (rows: ReturnType<typeof computeDiffFlameRows>, depth: number) => {
  const row = rows.rows[depth]!
  return Array.from({ length: row.length }, (_, k) => [tree.functions.name[tree.func[row.node[k]!]!], row.start[k], row.end[k]])
}

describe('computeDiffFlameRows', () => {
  it('sizes every box by the larger side, widening a parent to hold its children', () => {
    const rows = computeDiffFlameRows(tree, 'share')
    expect(rows.rows).toHaveLength(3)
    // a: 75% of the candidate, b: 50% of the baseline, c: 25% of the candidate; together 1.5 profiles wide.
    expect(rows.span).toBeCloseTo(1.5, 12)
    expect(boxes(rows, 1)).toEqual([['main', 0, 1]])
    const depth2 = boxes(rows, 2)
    expect(depth2.map((b) => b[0])).toEqual(['a', 'b', 'c'])
    expect(depth2.map((b) => (b[2] as number) - (b[1] as number))).toEqual([
      expect.closeTo(0.5, 12),
      expect.closeTo(1 / 3, 12),
      expect.closeTo(1 / 6, 12),
    ])
  })

  it('keeps removed code in place: the merged view has every path of both sides', () => {
    const names = computeDiffFlameRows(tree, 'share').rows.flatMap((r) => Array.from(r.node, (n) => tree.functions.name[tree.func[n]!]))
    expect(names.sort()).toEqual(['(root)', 'a', 'b', 'c', 'main'])
  })

  it('lays one side out by its own totals for the side-by-side view', () => {
    expect(boxes(computeDiffSideRows(tree, 'baseline', 'share'), 2)).toEqual([
      ['a', 0, 0.5],
      ['b', 0.5, 1],
    ])
    expect(boxes(computeDiffSideRows(tree, 'candidate', 'share'), 2)).toEqual([
      ['a', 0, 0.75],
      ['c', 0.75, 1],
    ])
  })

  it('returns no rows for an empty tree or side', () => {
    const empty = { ...tree, candidateTotal: new Array<number>(tree.length).fill(0) }
    expect(computeDiffSideRows(empty, 'candidate', 'share').rows).toEqual([])
    expect(computeDiffFlameRows({ ...tree, length: 0 }, 'share').rows).toEqual([])
  })
})

describe('paths and focus', () => {
  it('walks from the root to a node', () => {
    expect(getDiffNodePath(tree, nodeNamed('c')).map((i) => tree.functions.name[tree.func[i]!])).toEqual(['(root)', 'main', 'c'])
  })

  it('finds the heaviest node of a function', () => {
    expect(findHeaviestNodeOf(tree, tree.func[nodeNamed('a')]!, 'share')).toBe(nodeNamed('a'))
    expect(findHeaviestNodeOf(tree, 9999, 'share')).toBe(-1)
  })
})
