import { describe, expect, it } from 'vitest'
import { topFunctions } from '../../../../core/analysis/call-tree.js'
import { ProfileFormatError } from '../../../../core/import/cpuprofile.js'
import { type HeapProfileNode, type HeapProfileRaw, importHeapProfile, isHeapProfile } from '../../../../core/import/heap-profile.js'
import { toSpeedscope } from '../../../../core/export/speedscope.js'
import { getTreeTotal } from '../../../../core/model/call-tree.js'
import { dumpTree, readProfileFixture, selfTimeByName } from '../../../helpers/profile-from-text.js'

const frame = (functionName: string, url = 'file:///app/a.js', lineNumber = 0) => ({
  functionName,
  scriptId: '1',
  url,
  lineNumber,
  columnNumber: 0,
})
const node = (id: number, name: string, selfSize: number, children: HeapProfileNode[] = [], url?: string): HeapProfileNode => ({
  id,
  callFrame: frame(name, url ?? (name.startsWith('(') ? '' : 'file:///app/a.js'), id),
  selfSize,
  children,
})

function smallProfile(): HeapProfileRaw {
  return {
    head: node(1, '(root)', 0, [node(2, 'main', 100, [node(3, 'alloc', 4096), node(4, 'alloc', 1024)]), node(5, 'other', 50)]),
    samples: [
      { size: 4096, nodeId: 3, ordinal: 1 },
      { size: 1024, nodeId: 4, ordinal: 2 },
      { size: 100, nodeId: 2, ordinal: 3 },
    ],
  }
}

describe('importHeapProfile', () => {
  it('builds a tree in bytes from selfSize, with sample counts per node', () => {
    const tree = importHeapProfile(smallProfile())
    expect(tree.unit).toBe('bytes')
    expect(getTreeTotal(tree)).toBe(100 + 4096 + 1024 + 50)
    // Nodes 3 and 4 are different functions (different lines), so they stay apart.
    expect(dumpTree(tree, { digits: 0 })).toBe(['main 100B', 'main;alloc 4096B', 'main;alloc 1024B', 'other 50B'].join('\n'))
    expect(tree.nodes.totalSamples[0]).toBe(3)
    expect(tree.timeline).toBeUndefined()
  })

  it('merges sibling nodes of the same function', () => {
    const raw = smallProfile()
    raw.head.children[0]!.children[1]!.callFrame = { ...raw.head.children[0]!.children[0]!.callFrame }
    const tree = importHeapProfile(raw)
    expect(dumpTree(tree, { digits: 0 })).toBe(['main 100B', 'main;alloc 5120B', 'other 50B'].join('\n'))
  })

  it('counts samples whose node is not in the tree instead of rejecting the file', () => {
    const raw = smallProfile()
    raw.samples!.push({ size: 999, nodeId: 77, ordinal: 4 })
    const tree = importHeapProfile(raw)
    expect(tree.meta).toEqual({ sampleCount: 4, unmatchedSamples: 1 })
    expect(getTreeTotal(tree)).toBe(5270)
  })

  it('reads the recorded allocation profile', () => {
    const text = readProfileFixture('alloc-burst.heapprofile')
    const raw = JSON.parse(text) as HeapProfileRaw
    expect(isHeapProfile(raw)).toBe(true)
    const tree = importHeapProfile(raw)
    let selfSizes = 0
    const stack = [raw.head]
    while (stack.length) {
      const n = stack.pop()!
      selfSizes += n.selfSize
      stack.push(...n.children)
    }
    expect(getTreeTotal(tree)).toBe(selfSizes)
    const top = topFunctions(tree, 'self', 4).map((f) => f.name)
    expect(top).toEqual(expect.arrayContaining(['makeStrings', 'makeRecords']))
    expect(selfTimeByName(tree).makeRecords).toBeGreaterThan(1_000_000)
    expect(dumpTree(tree, { limit: 12, digits: 0 })).toMatchSnapshot()
    // Without a timeline the speedscope export has one weighted sample per call path.
    const file = toSpeedscope(tree)
    expect(file.profiles[0]!.unit).toBe('bytes')
    expect(file.profiles[0]!.endValue).toBe(selfSizes)
  })

  it('names the problem in a broken file', () => {
    expect(() => importHeapProfile({ nodes: [] })).toThrow(/no `head` node/)
    const badSize = smallProfile()
    badSize.head.children[0]!.selfSize = -1
    expect(() => importHeapProfile(badSize)).toThrow(ProfileFormatError)
    expect(() => importHeapProfile(badSize)).toThrow(/node id 2: selfSize must be a non-negative number of bytes/)
    const dup = smallProfile()
    dup.head.children[1]!.id = 2
    expect(() => importHeapProfile(dup)).toThrow(/node id 2 appears twice/)
    const noChildren = smallProfile() as unknown as { head: { children: unknown } }
    noChildren.head.children = null
    expect(() => importHeapProfile(noChildren)).toThrow(/children must be an array/)
    expect(isHeapProfile({ nodes: [] })).toBe(false)
  })

  it('walks allocation stacks deeper than the JS call stack allows recursing', () => {
    let deepest = node(20_001, 'leaf', 8)
    for (let id = 20_000; id >= 2; id--) deepest = node(id, 'f', 0, [deepest])
    const tree = importHeapProfile({ head: node(1, '(root)', 0, [deepest]), samples: [] })
    expect(getTreeTotal(tree)).toBe(8)
    expect(tree.nodes.length).toBe(20_001)
  })
})
