import { describe, expect, it } from 'vitest'
import { createHeapSnapshotParser, parseHeapSnapshot } from '../../../../core/import/heap-snapshot.js'
import { ProfileFormatError } from '../../../../core/import/cpuprofile.js'
import type { HeapSnapshot } from '../../../../core/model/heap.js'
import { getEdgeName, getNodeName, sumSelfSizes } from '../../../../core/model/heap.js'
import { chunked, drawSnapshot, loadFixture } from './heap-snapshot-fixtures.js'

interface RawSnapshot {
  snapshot: { node_count: number; edge_count: number; meta: { node_fields: string[]; edge_fields: string[] } }
  nodes: number[]
  edges: number[]
  strings: string[]
  locations: number[]
}

type Column = Uint32Array | Uint8Array | null

const sameArray = (a: Column, b: Column): boolean =>
  a === null || b === null
    ? a === b
    : a.constructor === b.constructor &&
      a.length === b.length &&
      Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))

/** Models are equal when every column and the string table are equal. */
function expectSameSnapshot(a: HeapSnapshot, b: HeapSnapshot): void {
  for (const k of ['type', 'name', 'id', 'selfSize', 'firstEdge', 'traceNodeId', 'detachedness'] as const)
    expect(sameArray(a.nodes[k], b.nodes[k]), `nodes.${k}`).toBe(true)
  for (const k of ['type', 'nameOrIndex', 'toNode'] as const) expect(sameArray(a.edges[k], b.edges[k]), `edges.${k}`).toBe(true)
  expect(a.nodes.length).toBe(b.nodes.length)
  expect(a.edges.length).toBe(b.edges.length)
  expect(sameArray(a.locations, b.locations)).toBe(true)
  expect(a.strings).toEqual(b.strings)
  expect(a.meta).toEqual(b.meta)
  expect([a.nodeTypes, a.edgeTypes, a.locationFieldCount]).toEqual([b.nodeTypes, b.edgeTypes, b.locationFieldCount])
}

/** One field of V8's flat array, as a column. */
const fieldOf = (flat: number[], fields: string[], name: string): number[] =>
  flat.filter((_, i) => i % fields.length === fields.indexOf(name))

const parseText = (text: string): HeapSnapshot => parseHeapSnapshot(new TextEncoder().encode(text))

describe('parseHeapSnapshot on a real Node 22 snapshot', () => {
  const bytes = loadFixture('leak-start')
  const raw = JSON.parse(bytes.toString('utf8')) as RawSnapshot
  const snapshot = parseHeapSnapshot(bytes)

  it('reads the same node and edge counts, columns and strings as JSON.parse', () => {
    const nodeFields = raw.snapshot.meta.node_fields
    const edgeFields = raw.snapshot.meta.edge_fields
    expect(snapshot.nodes.length).toBe(raw.snapshot.node_count)
    expect(snapshot.edges.length).toBe(raw.snapshot.edge_count)
    expect(snapshot.nodes.length).toBe(raw.nodes.length / nodeFields.length)
    expect(sameArray(snapshot.nodes.type, Uint8Array.from(fieldOf(raw.nodes, nodeFields, 'type')))).toBe(true)
    expect(sameArray(snapshot.nodes.name, Uint32Array.from(fieldOf(raw.nodes, nodeFields, 'name')))).toBe(true)
    expect(sameArray(snapshot.nodes.id, Uint32Array.from(fieldOf(raw.nodes, nodeFields, 'id')))).toBe(true)
    expect(sameArray(snapshot.nodes.selfSize, Uint32Array.from(fieldOf(raw.nodes, nodeFields, 'self_size')))).toBe(true)
    // edge_count becomes the first-edge index: a running sum starting at 0.
    let sum = 0
    const firstEdge = [0, ...fieldOf(raw.nodes, nodeFields, 'edge_count').map((c) => (sum += c))]
    expect(sameArray(snapshot.nodes.firstEdge, Uint32Array.from(firstEdge))).toBe(true)
    // trace_node_id is all zeros without allocation tracking, so no column is kept; detachedness has values.
    expect(fieldOf(raw.nodes, nodeFields, 'trace_node_id').every((v) => v === 0)).toBe(true)
    expect(snapshot.nodes.traceNodeId).toBeNull()
    expect(sameArray(snapshot.nodes.detachedness, Uint8Array.from(fieldOf(raw.nodes, nodeFields, 'detachedness')))).toBe(true)
    expect(sameArray(snapshot.edges.type, Uint8Array.from(fieldOf(raw.edges, edgeFields, 'type')))).toBe(true)
    expect(sameArray(snapshot.edges.nameOrIndex, Uint32Array.from(fieldOf(raw.edges, edgeFields, 'name_or_index')))).toBe(true)
    // The model keeps edge targets as node ordinals: V8's offsets divided by the node field count.
    const targets = fieldOf(raw.edges, edgeFields, 'to_node').map((offset) => offset / nodeFields.length)
    expect(sameArray(snapshot.edges.toNode, Uint32Array.from(targets))).toBe(true)
    expect(snapshot.strings).toEqual(raw.strings)
    expect(sameArray(snapshot.locations, Uint32Array.from(raw.locations))).toBe(true)
    expect(snapshot.nodeTypes).toContain('concatenated string')
    expect(snapshot.meta.declaredNodeCount).toBe(raw.snapshot.node_count)
  })

  it('decodes the escapes V8 writes (quotes, backslashes, control characters, \\u escapes)', () => {
    expect(snapshot.strings).toContain('quote " and backslash \\ end')
    expect(snapshot.strings).toContain('tab\tnewline\ncr\r')
    expect(snapshot.strings).toContain('café ✓ €')
    expect(snapshot.strings).toContain('ctl \u0001\u001f')
    // V8 (12.4) writes astral characters as one truncated \uXXXX and lone surrogates as "???"; the
    // parser reproduces exactly what the file says, which JSON.parse agreed with above.
    expect(snapshot.strings).toContain('lone ??? high')
  })

  it('gives identical models whatever the chunk boundaries (1 byte, 7 bytes, 64 KB)', () => {
    for (const size of [1, 7, 65536]) {
      const parser = createHeapSnapshotParser()
      for (const chunk of chunked(bytes, size)) parser.write(chunk)
      expect(parser.bytesRead).toBe(bytes.length)
      expectSameSnapshot(parser.end(), snapshot)
    }
  })

  it('grows its arrays when the header leaves the counts out', () => {
    const text = bytes.toString('utf8').replace(/"node_count":\d+,"edge_count":\d+,/, '')
    const grown = parseText(text)
    expect(grown.meta.declaredNodeCount).toBeNull()
    expectSameSnapshot(grown, { ...snapshot, meta: grown.meta })
  })

  it('reports a truncated file wherever it is cut, naming the section', () => {
    const text = bytes.toString('latin1')
    const cuts: [number, RegExp][] = [
      [0, /before any content/],
      [200, /inside "snapshot"/],
      [text.indexOf('"nodes"') + 5000, /inside "nodes" after \d+ of \d+ records/],
      [text.indexOf('"edges"') + 5000, /inside "edges" after \d+ of \d+ records/],
      [text.indexOf('"strings"') + 5000, /inside "strings" after \d+ strings/],
      [bytes.length - 1, /truncated/],
    ]
    for (const [cut, message] of cuts) {
      const parser = createHeapSnapshotParser()
      parser.write(bytes.subarray(0, cut))
      expect(() => parser.end(), `cut at ${cut}`).toThrow(message)
      expect(() => createHeapSnapshotParser().end()).toThrow(ProfileFormatError)
    }
  })

  it('rejects counts in the header that disagree with the arrays', () => {
    const text = bytes.toString('utf8')
    const more = text.replace(/"node_count":(\d+)/, (_, n: string) => `"node_count":${Number(n) + 1}`)
    expect(() => parseText(more)).toThrow(/snapshot.node_count is \d+ but "nodes" holds \d+ nodes/)
    const fewer = text.replace(/"edge_count":(\d+)/, (_, n: string) => `"edge_count":${Number(n) - 1}`)
    expect(() => parseText(fewer)).toThrow(/"edges" holds more records than snapshot.edge_count/)
  })
})

describe('parseHeapSnapshot on drawn snapshots', () => {
  const tricky = [
    'quote " backslash \\ slash /',
    'controls \u0000\u0001\b\f\n\r\t\u001f',
    'é ✓ € raw UTF-8',
    'astral 😀 and 𝄞 (surrogate pairs)',
    'lone \udc00 low and \ud800 high surrogates',
    '',
  ]
  const text = drawSnapshot(
    [
      {
        type: 'synthetic',
        name: '',
        id: 1,
        selfSize: 0,
        edges: [
          { type: 'element', name: 1, to: 1 },
          { type: 'shortcut', name: 'global', to: 2 },
        ],
      },
      { type: 'synthetic', name: '(GC roots)', id: 3, selfSize: 0, edges: [{ type: 'element', name: 1, to: 2 }] },
      { type: 'object', name: 'Object', id: 5, selfSize: 24, edges: [{ type: 'property', name: 'ünïcode "key"', to: 3 }] },
      { type: 'string', name: tricky[3] as string, id: 7, selfSize: 32 },
    ],
    { extraStrings: tricky },
  )

  // JSON.stringify writes the non-ASCII characters raw (UTF-8) and escapes the rest; V8 writes \u escapes.
  const escaped = text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

  it('unescapes JSON strings exactly, raw UTF-8 and \\u escapes alike, including surrogate pairs', () => {
    for (const input of [text, escaped]) {
      const snapshot = parseText(input)
      for (const s of tricky) expect(snapshot.strings).toContain(s)
      expect(getNodeName(snapshot, 3)).toBe(tricky[3])
      expect(getEdgeName(snapshot, 3)).toBe('ünïcode "key"')
      expect(getEdgeName(snapshot, 0)).toBe('1')
    }
  })

  it('parses identically when split at every byte position', () => {
    const bytes = new TextEncoder().encode(text)
    const whole = parseHeapSnapshot(bytes)
    for (let cut = 1; cut < bytes.length; cut++) {
      expectSameSnapshot(parseHeapSnapshot([bytes.subarray(0, cut), bytes.subarray(cut)]), whole)
    }
  })

  it('reads the graph: targets as node ordinals, first-edge index, self sizes', () => {
    const snapshot = parseText(text)
    expect(snapshot.nodes.length).toBe(4)
    expect(snapshot.edges.length).toBe(4)
    expect(Array.from(snapshot.nodes.firstEdge)).toEqual([0, 2, 3, 4, 4])
    expect(Array.from(snapshot.edges.toNode)).toEqual([1, 2, 2, 3])
    expect(Array.from(snapshot.nodes.type, (t) => snapshot.nodeTypes[t])).toEqual(['synthetic', 'synthetic', 'object', 'string'])
    expect(sumSelfSizes(snapshot)).toBe(56)
  })

  it('accepts keys in another order and values it does not know, and skips them', () => {
    const reordered = text
      .replace('{"snapshot":', '{"extra":{"a":[1,{"b":"}]"}],"c":null},"flag":true,"n":-1.5e3,"snapshot":')
      .replace(/,\n"trace_function_infos":\[\]/, '')
    const snapshot = parseText(reordered)
    expect(snapshot.nodes.length).toBe(4)
    expect(snapshot.strings).toEqual(parseText(text).strings)
  })

  it('rejects malformed input with a message that says what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['[1,2,3]', /expected '\{' at the start/],
      ['{"snapshot":{"node_count":1}}', /"snapshot" has no "meta"/],
      [text.replace('"to_node"', '"target"'), /unknown layout: snapshot.meta.edge_fields has no "to_node"/],
      [text.replace('"nodes":[', '"nodes":[-'), /unexpected '-' in "nodes"/],
      [text.replace('"nodes":[', '"nodes":[,'), /unexpected ',' in "nodes"/],
      [text.replace('"edges":[', '"edges":[1 2,'), /missing ',' between numbers in "edges"/],
      [text.replace('"nodes":[9,0,1', '"nodes":[9,99999999999,1'), /"nodes" value #1 is 99999999999, more than 4294967295/],
      [text.replace('"nodes":[9,', '"nodes":[300,'), /node #0 has type 300, beyond the node types/],
      [text.replace('{"snapshot":', '{"nodes":[],"snapshot":'), /"nodes" comes before the "snapshot" header: not a V8 heap snapshot/],
      [text.replace(/"edges":\[1,1,7/, '"edges":[1,1,8'), /edge #0 points to node offset 8, which is not the start of a node/],
      [text.replace(/"edges":\[1,1,7/, '"edges":[1,1,700'), /edge #0 points to node offset 700, past the last node/],
      [text.replace(/"nodes":\[9,/, '"nodes":[99,'), /node #0 has type 99/],
      [text.replace(/"strings":\[/, '"strings":[1,'), /unexpected '1' in "strings"/],
      [text.replace('"nodes"', '"strings":[],"nodes"'), /duplicate key "strings"/],
      [text.replace(/"edges":\[[^\]]*\],/, ''), /no "edges" array/],
      [text + ' x', /unexpected 'x' after the end of the snapshot/],
    ]
    for (const [input, message] of cases) expect(() => parseText(input), String(message)).toThrow(message)
  })

  it('checks that the edges the nodes declare are the edges there are', () => {
    // Node 1 declares 2 edges instead of 1: the sum no longer matches.
    const wrong = text.replace(/\n,9,\d+,3,0,1,0,0/, (m) => m.replace(',0,1,0,0', ',0,2,0,0'))
    expect(wrong).not.toBe(text)
    expect(() => parseText(wrong.replace(/,"edge_count":\d+/, ''))).toThrow(/the nodes' edge counts add up to 5 but "edges" holds 4 edges/)
  })
})
