import { describe, expect, it } from 'vitest'
import { createCallTreeBuilder, createFunctionInterner, finishCallTree } from '../../../../core/model/call-tree.js'

/** root → a → b and root → c, in builder order, with one sample per node; returns the builder's node ids too. */
function small() {
  const interner = createFunctionInterner()
  const f = (name: string) => interner.intern({ name, url: 'file:///x.js', line: 1, column: 1 }, 'user')
  const builder = createCallTreeBuilder(f('(root)'))
  const a = builder.child(0, f('a'))
  const c = builder.child(0, f('c'))
  const b = builder.child(a, f('b'))
  // c is heavier than a's subtree, so pre-order renumbers: root 0, c 1, a 2, b 3.
  builder.addSelf(c, 5, 1)
  builder.addSelf(a, 1, 1)
  builder.addSelf(b, 2, 1)
  return { builder, interner, a, b, c }
}

describe('finishCallTree: the sample timeline', () => {
  it('takes an owned timeline, renumbering its nodes in place', () => {
    const { builder, interner, a, b, c } = small()
    const node = Int32Array.from([a, b, c, a])
    const startMs = Float64Array.from([0, 1, 3, 8])
    const durationMs = Float64Array.from([1, 2, 5, 1])
    const tree = finishCallTree(builder, interner.identities, {
      unit: 'ms',
      meta: { sampleCount: 4 },
      ownedTimeline: { node, startMs, durationMs },
    })
    expect(tree.timeline?.node).toBe(node)
    expect(tree.timeline?.startMs).toBe(startMs)
    expect(Array.from(node)).toEqual([2, 3, 1, 2])
    expect(tree.nodes.func[2]).toBe(tree.functions.name.indexOf('a'))
  })

  it('copies an owned timeline that drops samples (node -1), and any timeline given to copy', () => {
    const { builder, interner, a, c } = small()
    const owned = { node: Int32Array.from([a, -1, c]), startMs: Float64Array.from([0, 1, 3]), durationMs: Float64Array.from([1, 2, 5]) }
    const tree = finishCallTree(builder, interner.identities, { unit: 'ms', meta: { sampleCount: 3 }, ownedTimeline: owned })
    expect(tree.timeline?.node).not.toBe(owned.node)
    expect(tree.timeline).toEqual({
      length: 2,
      node: Int32Array.from([2, 1]),
      startMs: Float64Array.from([0, 3]),
      durationMs: Float64Array.from([1, 5]),
    })
    expect(Array.from(owned.node)).toEqual([a, -1, c])

    const again = small()
    const given = { node: [again.b, again.c], startMs: [0, 2], durationMs: [2, 5] }
    const copied = finishCallTree(again.builder, again.interner.identities, { unit: 'ms', meta: { sampleCount: 2 }, timeline: given })
    expect(copied.timeline).toEqual({
      length: 2,
      node: Int32Array.from([3, 1]),
      startMs: Float64Array.from([0, 2]),
      durationMs: Float64Array.from([2, 5]),
    })
    expect(given.node).toEqual([again.b, again.c])
  })
})
