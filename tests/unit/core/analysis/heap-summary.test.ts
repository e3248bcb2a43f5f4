import { describe, expect, it } from 'vitest'
import { computeHeapDominators } from '../../../../core/analysis/dominators.js'
import {
  computeClassHistogram,
  computeClassIndex,
  computeClassRetainedSizes,
  computeHeapStatistics,
  summarizeHeap,
} from '../../../../core/analysis/heap-summary.js'
import { parseHeapSnapshot } from '../../../../core/import/heap-snapshot.js'
import { drawSnapshot, loadFixture, LEAK_ADDED, LEAK_BEFORE } from '../import/heap-snapshot-fixtures.js'

const rawOf = (bytes: Buffer): { nodes: number[]; snapshot: { node_count: number; meta: { node_fields: string[] } } } =>
  JSON.parse(bytes.toString('utf8')) as { nodes: number[]; snapshot: { node_count: number; meta: { node_fields: string[] } } }

describe('summarizeHeap on a real snapshot', () => {
  const bytes = loadFixture('leak-end')
  const snapshot = parseHeapSnapshot(bytes)
  const summary = summarizeHeap(snapshot, { retainerPathCount: 50 })

  it("totals match the snapshot's own node count and sum of self sizes (read independently with JSON.parse)", () => {
    const raw = rawOf(bytes)
    const fields = raw.snapshot.meta.node_fields
    const sizeOffset = fields.indexOf('self_size')
    let selfSum = 0
    for (let i = sizeOffset; i < raw.nodes.length; i += fields.length) selfSum += raw.nodes[i]!
    expect(summary.nodeCount).toBe(raw.snapshot.node_count)
    expect(summary.totalSelfSizeBytes).toBe(selfSum)
    expect(summary.classes.reduce((s, c) => s + c.count, 0)).toBe(raw.snapshot.node_count)
    expect(summary.classes.reduce((s, c) => s + c.shallowSizeBytes, 0)).toBe(selfSum)
    expect(summary.statistics.totalBytes).toBe(selfSum + snapshot.meta.extraNativeBytes)
  })

  it('splits the total into parts that add up to it', () => {
    const s = summary.statistics
    const parts = s.codeBytes + s.stringsBytes + s.jsArraysBytes + s.typedArraysBytes + s.systemBytes + s.otherJsBytes + s.otherNonJsBytes
    expect(parts).toBe(s.totalBytes)
    expect(s.v8HeapBytes + s.nativeBytes).toBe(s.totalBytes)
    for (const value of Object.values(s)) expect(value).toBeGreaterThanOrEqual(0)
    expect(s.codeBytes).toBeGreaterThan(0)
    expect(s.stringsBytes).toBeGreaterThan(0)
    expect(s.jsArraysBytes).toBeGreaterThan(0)
  })

  it('counts the planted class exactly, with its shallow and retained sizes', () => {
    const leaky = summary.classes.find((c) => c.name === 'LeakyThing')!
    expect(leaky.count).toBe(LEAK_BEFORE + LEAK_ADDED)
    // Eight small-integer fields live inside each object: nothing else is retained by one instance.
    expect(leaky.retainedSizeBytes).toBe(leaky.shallowSizeBytes)
    expect(leaky.shallowSizeBytes % leaky.count).toBe(0)
    // Sorted by retained size, descending.
    for (let k = 1; k < summary.classes.length; k++)
      expect(summary.classes[k - 1]!.retainedSizeBytes).toBeGreaterThanOrEqual(summary.classes[k]!.retainedSizeBytes)
  })

  it("computes each class's retained size by DevTools' rule, checked against a walk up the dominator tree", () => {
    const classes = computeClassIndex(snapshot)
    const dominators = computeHeapDominators(snapshot)
    const fast = computeClassRetainedSizes(snapshot, classes, dominators)
    const slow = new Float64Array(classes.names.length)
    const root = snapshot.meta.rootOrdinal
    const size = snapshot.nodes.selfSize
    for (let v = 0; v < snapshot.nodes.length; v++) {
      if (size[v] === 0) continue
      const c = classes.classOfNode[v]!
      // Counted unless a dominator above it is a (non-empty) instance of the same class.
      let covered = false
      for (let d = v; d !== root && !covered;) {
        d = dominators.tree.idom[d]!
        covered = classes.classOfNode[d] === c && size[d]! > 0
      }
      if (!covered) slow[c] = slow[c]! + dominators.retainedSizes[v]!
    }
    expect(Array.from(fast)).toEqual(Array.from(slow))
    const histogram = computeClassHistogram(snapshot, classes, dominators)
    expect(histogram.find((c) => c.name === '(system)')!.retainedSizeBytes).toBe(slow[classes.names.indexOf('(system)')])
  })

  it('gives retaining paths that start at a root and follow real edges', () => {
    expect(summary.retainerPaths.length).toBeGreaterThan(5)
    const leaky = summary.retainerPaths.find((p) => p.className === 'LeakyThing')!
    expect(leaky.path.reachable).toBe(true)
    expect(leaky.path.from.className).toBe('global')
    expect(leaky.path.steps.map((s) => s.edgeName).slice(0, 1)).toEqual(['leaks'])
    expect(leaky.path.steps.at(-1)!.className).toBe('LeakyThing')
    expect(leaky.path.steps.at(-1)!.nodeId).toBe(leaky.nodeId)
  })
})

describe('computeClassIndex', () => {
  it("names classes as DevTools' Summary view does", () => {
    const text = drawSnapshot([
      { type: 'synthetic', name: '', id: 1, selfSize: 0, edges: [{ type: 'element', name: 1, to: 1 }] },
      { type: 'hidden', name: 'system / Map', id: 3, selfSize: 16 },
      { type: 'code', name: 'foo', id: 5, selfSize: 32 },
      { type: 'closure', name: 'foo', id: 7, selfSize: 32 },
      { type: 'native', name: '<div id="a" class="b">', id: 9, selfSize: 64 },
      { type: 'native', name: 'Detached <div id="z">', id: 11, selfSize: 64 },
      { type: 'object', name: 'Order', id: 13, selfSize: 40 },
      { type: 'object', name: 'Order', id: 15, selfSize: 40 },
      { type: 'concatenated string', name: '(concatenated string)', id: 17, selfSize: 32 },
      { type: 'string', name: 'hello', id: 19, selfSize: 24 },
      { type: 'array', name: '(object elements)', id: 21, selfSize: 80 },
      { type: 'regexp', name: 'a+b', id: 23, selfSize: 48 },
    ])
    const snapshot = parseHeapSnapshot(new TextEncoder().encode(text))
    const { classOfNode, names } = computeClassIndex(snapshot)
    expect(Array.from(classOfNode, (c) => names[c])).toEqual([
      '(synthetic)',
      '(system)',
      '(compiled code)',
      '(closure)',
      '<div>',
      'Detached <div>',
      'Order',
      'Order',
      '(concatenated string)',
      '(string)',
      '(array)',
      '(regexp)',
    ])
    const stats = computeHeapStatistics(snapshot)
    expect(stats).toMatchObject({
      systemBytes: 16,
      codeBytes: 32,
      stringsBytes: 56,
      nativeBytes: 128,
      typedArraysBytes: 0,
      jsArraysBytes: 0,
    })
  })

  it('counts a JS array with the element store only it holds', () => {
    const text = drawSnapshot([
      { type: 'synthetic', name: '', id: 1, selfSize: 0, edges: [{ type: 'shortcut', name: 'global', to: 1 }] },
      {
        type: 'object',
        name: 'global',
        id: 3,
        selfSize: 8,
        edges: [
          { type: 'property', name: 'a', to: 2 },
          { type: 'property', name: 'b', to: 4 },
          { type: 'property', name: 'c', to: 3 },
        ],
      },
      { type: 'object', name: 'Array', id: 5, selfSize: 32, edges: [{ type: 'internal', name: 'elements', to: 3 }] },
      { type: 'array', name: '(object elements)', id: 7, selfSize: 100 },
      { type: 'object', name: 'Array', id: 9, selfSize: 32, edges: [{ type: 'internal', name: 'elements', to: 5 }] },
      { type: 'array', name: '(object elements)', id: 11, selfSize: 1000 },
      { type: 'native', name: 'system / JSArrayBufferData', id: 13, selfSize: 4096 },
    ])
    const snapshot = parseHeapSnapshot(new TextEncoder().encode(text))
    const stats = computeHeapStatistics(snapshot)
    // The first store has a second retainer (global.c), so only the second array's store counts.
    expect(stats.jsArraysBytes).toBe(32 + 32 + 1000)
    expect(stats.typedArraysBytes).toBe(4096)
    expect(stats.otherNonJsBytes).toBe(0)
  })
})

describe('class retained sizes on a drawn graph', () => {
  it('counts nested instances of a class once, and leaves size-0 nodes out', () => {
    // global -> Node A -> Node B -> Leaf; global -> Node C (shared by A and global)
    const text = drawSnapshot([
      { type: 'synthetic', name: '', id: 1, selfSize: 0, edges: [{ type: 'shortcut', name: 'global', to: 1 }] },
      {
        type: 'object',
        name: 'global',
        id: 3,
        selfSize: 8,
        edges: [
          { type: 'property', name: 'a', to: 2 },
          { type: 'property', name: 'c', to: 5 },
        ],
      },
      {
        type: 'object',
        name: 'Node',
        id: 5,
        selfSize: 10,
        edges: [
          { type: 'property', name: 'next', to: 3 },
          { type: 'property', name: 'c', to: 5 },
        ],
      },
      { type: 'object', name: 'Node', id: 7, selfSize: 20, edges: [{ type: 'property', name: 'leaf', to: 4 }] },
      { type: 'object', name: 'Leaf', id: 9, selfSize: 5 },
      { type: 'object', name: 'Node', id: 11, selfSize: 40 },
    ])
    const snapshot = parseHeapSnapshot(new TextEncoder().encode(text))
    const summary = summarizeHeap(snapshot)
    const row = (name: string) => summary.classes.find((c) => c.name === name)!
    expect(row('Node')).toMatchObject({ count: 3, shallowSizeBytes: 70, retainedSizeBytes: 35 + 40 })
    expect(row('Leaf')).toMatchObject({ count: 1, retainedSizeBytes: 5 })
    expect(row('global')).toMatchObject({ retainedSizeBytes: 83 })
    expect(row('(synthetic)')).toMatchObject({ count: 1, retainedSizeBytes: 0 })
    expect(summary.classes[0]!.name).toBe('global')
    expect(summary.unreachableNodeCount).toBe(0)
  })
})
