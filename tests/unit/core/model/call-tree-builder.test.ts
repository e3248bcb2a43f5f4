import { describe, expect, it } from 'vitest'
import { createSamplePasses } from '../../../../core/import/cpuprofile-samples.js'
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

  it("the per-sample passes' addEach adds one sample per entry to the builder's nodes, in order", () => {
    const interner = createFunctionInterner()
    const f = (n: string) => interner.intern({ name: n, url: 'file:///x.js', line: 1, column: 1 }, 'user')
    const builder = createCallTreeBuilder(f('(root)'))
    const a = builder.child(0, f('a'))
    const b = builder.child(a, f('b'))
    createSamplePasses().addEach(
      Int32Array.from([a, b, b, a, b]),
      Float64Array.from([0.1, 0.2, 0.3, 0.4, 0.5]),
      builder.selfValues,
      builder.selfCounts,
      builder.size,
    )
    expect(builder.selfCounts[a]).toBe(2)
    expect(builder.selfCounts[b]).toBe(3)
    // Summed in the order given, as addSelf one by one would: the same double to the bit.
    expect(builder.selfValues[a]).toBe(0 + 0.1 + 0.4)
    expect(builder.selfValues[b]).toBe(0 + 0.2 + 0.3 + 0.5)
  })
})

describe('finishCallTree: the tree against a direct computation, on random recursive trees', () => {
  it('totals, depths, pre-order, subtree ends and per-function values (recursion counted once), 40 seeds', () => {
    for (let seed = 1; seed <= 40; seed++) {
      let state = seed
      const next = (n: number) => {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0
        return state % n
      }
      const interner = createFunctionInterner()
      const names = ['a', 'b', 'c', 'd', 'e']
      const f = (k: number) => interner.intern({ name: names[k] as string, url: 'file:///x.js', line: k + 1, column: 1 }, 'user')
      const builder = createCallTreeBuilder(f(0))
      // Stacks of up to 8 frames from 5 functions (so recursion and merged siblings are common).
      const samples = 50 + next(400)
      const want = new Map<string, { self: number; samples: number }>()
      for (let s = 0; s < samples; s++) {
        let node = 0
        const path: string[] = []
        for (let d = 0, depth = next(8); d < depth; d++) {
          const k = next(names.length)
          node = builder.child(node, f(k))
          path.push(names[k] as string)
        }
        const w = next(7) * 0.25
        builder.addSelf(node, w, 1)
        const key = path.join('/')
        const had = want.get(key) ?? { self: 0, samples: 0 }
        want.set(key, { self: had.self + w, samples: had.samples + 1 })
      }
      const tree = finishCallTree(builder, interner.identities, { unit: 'ms', meta: { sampleCount: samples } })
      const t = tree.nodes
      const n = t.length
      const pathOf = (i: number): string[] =>
        i === 0 ? [] : [...pathOf(t.parent[i] as number), tree.functions.name[t.func[i] as number] as string]
      const got = new Map<string, { self: number; samples: number }>()
      for (let i = 0; i < n; i++) {
        const p = t.parent[i] as number
        expect(i === 0 ? p === -1 : p >= 0 && p < i, `parent before child (seed ${seed})`).toBe(true)
        expect(t.depth[i]).toBe(i === 0 ? 0 : (t.depth[p] as number) + 1)
        // The subtree is exactly the nodes after i up to subtreeEnd, and total sums it.
        let end = i + 1
        while (end < n && (t.depth[end] as number) > (t.depth[i] as number)) end++
        expect(t.subtreeEnd[i]).toBe(end)
        let total = 0
        let totalSamples = 0
        for (let j = i; j < end; j++) {
          total += t.self[j] as number
          totalSamples += t.selfSamples[j] as number
        }
        expect(t.total[i]).toBeCloseTo(total, 9)
        expect(t.totalSamples[i]).toBe(totalSamples)
        if ((t.selfSamples[i] as number) > 0)
          got.set(pathOf(i).join('/'), { self: t.self[i] as number, samples: t.selfSamples[i] as number })
      }
      expect(new Map([...got].sort())).toEqual(new Map([...[...want].filter(([, v]) => v.samples > 0)].sort()))
      // Per function: self over all its nodes; total over its nodes with no ancestor of the same function.
      for (let fn = 0; fn < tree.functions.length; fn++) {
        let self = 0
        let total = 0
        for (let i = 0; i < n; i++) {
          if (t.func[i] !== fn) continue
          self += t.self[i] as number
          let outer = true
          for (let a = t.parent[i] as number; a >= 0; a = t.parent[a] as number) if (t.func[a] === fn) outer = false
          if (outer) total += t.total[i] as number
        }
        expect(tree.functions.self[fn]).toBeCloseTo(self, 9)
        expect(tree.functions.total[fn]).toBeCloseTo(total, 9)
      }
    }
  })
})
