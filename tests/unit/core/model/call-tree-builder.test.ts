import { describe, expect, it } from 'vitest'
import { createCallTreeBuilder, createFunctionInterner, finishCallTree } from '../../../../core/model/call-tree.js'

/** A root with `count` children; child k gets self weight(k); names from name(k). */
function fan(count: number, weight: (k: number) => number, name: (k: number) => string, expectedNodes = 0) {
  const interner = createFunctionInterner()
  const f = (n: string, line = 1) => interner.intern({ name: n, url: 'file:///x.js', line, column: 1 }, 'user')
  const builder = createCallTreeBuilder(f('(root)'), expectedNodes)
  for (let k = 0; k < count; k++) builder.addSelf(builder.child(0, f(name(k), k + 1)), weight(k), 1)
  return finishCallTree(builder, interner.identities, { unit: 'ms', meta: { sampleCount: count } })
}

/** The children of the root, as names in node order. */
function rootChildren(tree: ReturnType<typeof fan>): string[] {
  const out: string[] = []
  for (let i = 1; i < tree.nodes.length; i++)
    if (tree.nodes.parent[i] === 0) out.push(tree.functions.name[tree.nodes.func[i] as number] as string)
  return out
}

describe('createCallTreeBuilder and finishCallTree: sibling order', () => {
  // Small groups are sorted by insertion and large ones by Array sort: the order must be the same rule.
  for (const count of [2, 3, 12, 13, 40]) {
    it(`orders ${count} siblings by total descending, ties by name, then key`, () => {
      const weight = (k: number) => (k * 7) % 5
      const name = (k: number) => `f${(k * 11) % 4}`
      const tree = fan(count, weight, name)
      const expected = Array.from({ length: count }, (_, k) => ({ w: weight(k), n: name(k), key: `${name(k)} file:///x.js:${k + 1}:1` }))
        .sort((a, b) => b.w - a.w || (a.n < b.n ? -1 : a.n > b.n ? 1 : 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map((x) => x.n)
      expect(rootChildren(tree)).toEqual(expected)
    })
  }

  it('gives the same tree with its table sized up front, and merges siblings of one function', () => {
    const sized = fan(
      500,
      (k) => k % 9,
      (k) => `g${k % 250}`,
      600,
    )
    const grown = fan(
      500,
      (k) => k % 9,
      (k) => `g${k % 250}`,
    )
    expect(sized.nodes).toEqual(grown.nodes)
    // Functions differ by line (k + 1), so none merge here; the same function twice does.
    const interner = createFunctionInterner()
    const g = interner.intern({ name: 'g', url: 'file:///x.js', line: 1, column: 1 }, 'user')
    const builder = createCallTreeBuilder(interner.intern({ name: '(root)', url: '', line: 0, column: 0 }, 'v8-native'), 1)
    expect(builder.child(0, g)).toBe(builder.child(0, g))
    expect(builder.size).toBe(2)
  })

  it('addSelfEach adds one sample per entry, in order', () => {
    const interner = createFunctionInterner()
    const f = (n: string) => interner.intern({ name: n, url: 'file:///x.js', line: 1, column: 1 }, 'user')
    const builder = createCallTreeBuilder(f('(root)'))
    const a = builder.child(0, f('a'))
    const b = builder.child(a, f('b'))
    builder.addSelfEach(Int32Array.from([a, b, b, a, b]), Float64Array.from([0.1, 0.2, 0.3, 0.4, 0.5]))
    expect(builder.selfCounts[a]).toBe(2)
    expect(builder.selfCounts[b]).toBe(3)
    // Summed in the order given, as addSelf one by one would: the same double to the bit.
    expect(builder.selfValues[a]).toBe(0 + 0.1 + 0.4)
    expect(builder.selfValues[b]).toBe(0 + 0.2 + 0.3 + 0.5)
  })
})
