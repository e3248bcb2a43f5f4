import { describe, expect, it } from 'vitest'
import { computeClassIndex } from '../../../../core/analysis/heap-summary.js'
import { computeShortestRetainers, formatRetainerPath, getEdgeSource, getRetainerPath } from '../../../../core/analysis/retainers.js'
import { parseHeapSnapshot } from '../../../../core/import/heap-snapshot.js'
import { drawSnapshot } from '../import/heap-snapshot-fixtures.js'

// root -> (GC roots) -> (Handles) -> cache; root =shortcut=> global .data -> Array -elements-> store [1] -> Order
// The Order is also reachable in fewer hops from (Handles), but paths through a global come first (DevTools' rule).
const text = drawSnapshot([
  {
    type: 'synthetic',
    name: '',
    id: 1,
    selfSize: 0,
    edges: [
      { type: 'element', name: 1, to: 1 },
      { type: 'shortcut', name: 'global', to: 3 },
    ],
  },
  { type: 'synthetic', name: '(GC roots)', id: 3, selfSize: 0, edges: [{ type: 'element', name: 1, to: 2 }] },
  {
    type: 'synthetic',
    name: '(Handle scope)',
    id: 5,
    selfSize: 0,
    edges: [
      { type: 'element', name: 0, to: 6 },
      { type: 'weak', name: 'w', to: 7 },
    ],
  },
  { type: 'object', name: 'global', id: 7, selfSize: 8, edges: [{ type: 'property', name: 'data', to: 4 }] },
  { type: 'object', name: 'Array', id: 9, selfSize: 32, edges: [{ type: 'internal', name: 'elements', to: 5 }] },
  {
    type: 'array',
    name: '(object elements)',
    id: 11,
    selfSize: 64,
    edges: [
      { type: 'element', name: 0, to: 8 },
      { type: 'element', name: 1, to: 6 },
    ],
  },
  { type: 'object', name: 'Order', id: 13, selfSize: 40, edges: [{ type: 'context', name: 'price', to: 8 }] },
  { type: 'object', name: 'OnlyWeak', id: 15, selfSize: 40 },
  { type: 'number', name: 'heap number', id: 17, selfSize: 16 },
])
const snapshot = parseHeapSnapshot(new TextEncoder().encode(text))
const { firstEdge } = snapshot.nodes
const classes = computeClassIndex(snapshot)
const classNameOf = (v: number): string => classes.names[classes.classOfNode[v]!]!

describe('getEdgeSource', () => {
  it('finds the node that owns each edge, skipping nodes without edges', () => {
    const sources = Array.from({ length: snapshot.edges.length }, (_, e) => getEdgeSource(firstEdge, e))
    expect(sources).toEqual([0, 0, 1, 2, 2, 3, 4, 5, 5, 6])
  })
})

describe('shortest retaining paths', () => {
  const retainers = computeShortestRetainers(snapshot)

  it('prefers a path from a global object, and names each edge', () => {
    const path = getRetainerPath(snapshot, retainers, 6, classNameOf)
    expect(path.reachable).toBe(true)
    expect(path.from).toEqual({ nodeId: 7, className: 'global' })
    expect(path.steps.map((s) => `${s.edgeType}:${s.edgeName}:${s.className}`)).toEqual([
      'property:data:Array',
      'internal:elements:(array)',
      'element:1:Order',
    ])
    expect(formatRetainerPath(path)).toBe('global @7 .data → Array @9 (internal) elements → (array) @11 [1] → Order @13')
    const viaContext = getRetainerPath(snapshot, retainers, 8, classNameOf)
    expect(viaContext.steps.at(-1)).toMatchObject({ edgeType: 'element', edgeName: '0', className: '(number)', selfSizeBytes: 16 })
  })

  it('says when only weak references reach an object', () => {
    const path = getRetainerPath(snapshot, retainers, 7, classNameOf)
    expect(path.reachable).toBe(false)
    expect(path.steps).toEqual([])
    expect(formatRetainerPath(path)).toBe('OnlyWeak @15 (only weakly reachable)')
  })

  it('gives the root an empty path', () => {
    expect(getRetainerPath(snapshot, retainers, 0, classNameOf)).toMatchObject({ reachable: true, steps: [] })
  })
})
