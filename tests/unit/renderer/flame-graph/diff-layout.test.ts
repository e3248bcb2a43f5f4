import { describe, expect, it } from 'vitest'
import { diffProfiles } from '../../../../core/compare/call-tree-diff.js'
import {
  computeDiffFlameRows,
  computeNodeChanges,
  getDiffNodePath,
  getNodeChange,
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
  it('sizes boxes by the candidate, leaving out paths it no longer has', () => {
    const rows = computeDiffFlameRows(tree, 'candidate')
    expect(rows.rows).toHaveLength(3)
    expect(boxes(rows, 1)).toEqual([['main', 0, 1]])
    expect(boxes(rows, 2)).toEqual([
      ['a', 0, 0.75],
      ['c', 0.75, 1],
    ])
  })

  it('sizes boxes by the baseline to show what disappeared', () => {
    expect(boxes(computeDiffFlameRows(tree, 'baseline'), 2)).toEqual([
      ['a', 0, 0.5],
      ['b', 0.5, 1],
    ])
  })

  it('returns no rows for an empty side', () => {
    const empty = { ...tree, candidateTotal: new Float64Array(tree.length) }
    expect(computeDiffFlameRows(empty, 'candidate').rows).toEqual([])
  })
})

describe('computeNodeChanges', () => {
  it('classifies every node of the merged tree', () => {
    const changes = computeNodeChanges(tree)
    expect(getNodeChange(changes, nodeNamed('a'))).toEqual({ kind: 'grown', intensity: expect.closeTo(1 / 3, 6) })
    expect(getNodeChange(changes, nodeNamed('b')).kind).toBe('gone')
    expect(getNodeChange(changes, nodeNamed('c')).kind).toBe('new')
    expect(getNodeChange(changes, nodeNamed('main')).kind).toBe('same')
    expect(getNodeChange(changes, 0).kind).toBe('same')
  })

  it('walks from the root to a node', () => {
    expect(getDiffNodePath(tree, nodeNamed('c')).map((i) => tree.functions.name[tree.func[i]!])).toEqual(['(root)', 'main', 'c'])
  })
})
