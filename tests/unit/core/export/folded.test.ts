import { describe, expect, it } from 'vitest'
import { formatFoldedFrame, parseFoldedStacks, toFoldedStacks } from '../../../../core/export/folded.js'
import { importCpuProfile } from '../../../../core/import/cpuprofile.js'
import { importHeapProfile } from '../../../../core/import/heap-profile.js'
import { type CallTree, getNodePath } from '../../../../core/model/call-tree.js'
import { readProfileFixture, treeFromText } from '../../../helpers/profile-from-text.js'

/** Expected weight per folded stack, computed from the tree's nodes. */
function expectedStacks(tree: CallTree, weight: (i: number) => number): Map<string, number> {
  const out = new Map<string, number>()
  for (let i = 0; i < tree.nodes.length; i++) {
    const w = weight(i)
    if (w <= 0) continue
    const path = getNodePath(tree, i)
    const frames = (path.length > 1 ? path.slice(1) : path).map((n) => {
      const f = tree.nodes.func[n]!
      return formatFoldedFrame(tree.functions.name[f] || '(anonymous)', tree.functions.url[f]!, tree.functions.line[f]!)
    })
    out.set(frames.join(';'), w)
  }
  return out
}

const asMap = (text: string): Map<string, number> => new Map(parseFoldedStacks(text).map((s) => [s.stack.join(';'), s.weight]))

describe('toFoldedStacks', () => {
  it('writes one line per call path with self time, in microseconds', () => {
    const tree = treeFromText(`
      main  main  main
      a     a     b
    `)
    expect(toFoldedStacks(tree)).toBe(
      ['main file:///app/main.js:1;a file:///app/main.js:2 2000', 'main file:///app/main.js:1;b file:///app/main.js:3 1000', ''].join('\n'),
    )
  })

  it.each(['fib-strings-json.cpuprofile', 'deep-recursion.cpuprofile', 'prettier-check.cpuprofile'])(
    'round-trips %s: parse back, same weights',
    (name) => {
      const tree = importCpuProfile(JSON.parse(readProfileFixture(name)))
      const us = asMap(toFoldedStacks(tree))
      expect(us).toEqual(expectedStacks(tree, (i) => Math.round(tree.nodes.self[i]! * 1000)))
      const samples = asMap(toFoldedStacks(tree, { weight: 'samples' }))
      expect(samples).toEqual(expectedStacks(tree, (i) => tree.nodes.selfSamples[i]!))
      let total = 0
      for (const w of samples.values()) total += w
      expect(total).toBe(tree.meta.sampleCount)
    },
  )

  it('writes bytes for allocation profiles and refuses mismatched units', () => {
    const tree = importHeapProfile(JSON.parse(readProfileFixture('alloc-burst.heapprofile')))
    const bytes = asMap(toFoldedStacks(tree))
    let total = 0
    for (const w of bytes.values()) total += w
    expect(total).toBe(tree.nodes.total[0])
    expect(() => toFoldedStacks(tree, { weight: 'microseconds' })).toThrow(/need a CPU profile/)
    expect(() => toFoldedStacks(treeFromText('a'), { weight: 'bytes' })).toThrow(/need an allocation profile/)
  })

  it('keeps frames parseable: no semicolons or line breaks inside a frame', () => {
    expect(formatFoldedFrame('a;b', 'file:///x;y.js', 3)).toBe('a,b file:///x,y.js:3')
    expect(formatFoldedFrame('', '', 0)).toBe('(anonymous)')
    expect(formatFoldedFrame('f\ng', '', 0)).toBe('f g')
  })
})

describe('parseFoldedStacks', () => {
  it('reads flamegraph.pl input and names a bad line', () => {
    expect(parseFoldedStacks('a;b 3\n\na 1.5\n')).toEqual([
      { stack: ['a', 'b'], weight: 3 },
      { stack: ['a'], weight: 1.5 },
    ])
    expect(() => parseFoldedStacks('a;b 3\na;b\n')).toThrow(/line 2 does not end with a number/)
  })
})
