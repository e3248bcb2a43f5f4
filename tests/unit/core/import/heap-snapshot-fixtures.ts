/**
 * Heap snapshot inputs shared by the heap tests: the real fixtures (gunzipped), and small snapshots drawn
 * as node lists and written in V8's exact layout (node_fields and edge_fields of Node 22).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'

export const fixtureDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/profiles/node-22.23.3')

/** LeakyThing instances in leak-start and the number added before leak-end (scripts/make-heap-snapshot.mjs). */
export const LEAK_BEFORE = 100
export const LEAK_ADDED = 2000

const cache = new Map<string, Buffer>()

/** A fixture's bytes, gunzipped: 'leak-start' or 'leak-end'. */
export function loadFixture(name: 'leak-start' | 'leak-end'): Buffer {
  let bytes = cache.get(name)
  if (!bytes) {
    bytes = gunzipSync(readFileSync(path.join(fixtureDir, `${name}.heapsnapshot.gz`)))
    cache.set(name, bytes)
  }
  return bytes
}

export interface DrawnEdge {
  type: 'context' | 'element' | 'property' | 'internal' | 'hidden' | 'shortcut' | 'weak'
  /** A name, or an index for element and hidden edges. */
  name: string | number
  /** Index of the target in the node list. */
  to: number
}

export interface DrawnNode {
  type:
    | 'hidden'
    | 'array'
    | 'string'
    | 'object'
    | 'code'
    | 'closure'
    | 'regexp'
    | 'number'
    | 'native'
    | 'synthetic'
    | 'concatenated string'
    | 'sliced string'
    | 'symbol'
    | 'bigint'
    | 'object shape'
  name: string
  id: number
  selfSize: number
  edges?: DrawnEdge[]
}

export const NODE_TYPES = [
  'hidden',
  'array',
  'string',
  'object',
  'code',
  'closure',
  'regexp',
  'number',
  'native',
  'synthetic',
  'concatenated string',
  'sliced string',
  'symbol',
  'bigint',
  'object shape',
]
export const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak']

/** Writes a snapshot the way V8 does (same header, field order and line breaks); `extraStrings` are appended to the table. */
export function drawSnapshot(drawn: DrawnNode[], opts: { extraStrings?: string[]; header?: Record<string, unknown> } = {}): string {
  const strings: string[] = []
  const index = new Map<string, number>()
  const str = (s: string): number => {
    let k = index.get(s)
    if (k === undefined) {
      k = strings.length
      strings.push(s)
      index.set(s, k)
    }
    return k
  }
  const nodes: number[][] = []
  const edges: number[][] = []
  for (const n of drawn) {
    nodes.push([NODE_TYPES.indexOf(n.type), str(n.name), n.id, n.selfSize, n.edges?.length ?? 0, 0, 0])
    for (const e of n.edges ?? []) {
      const name = e.type === 'element' || e.type === 'hidden' ? (e.name as number) : str(String(e.name))
      edges.push([EDGE_TYPES.indexOf(e.type), name, e.to * 7])
    }
  }
  for (const s of opts.extraStrings ?? []) str(s)
  const meta = {
    node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
    node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', 'number', 'number'],
    edge_fields: ['type', 'name_or_index', 'to_node'],
    edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
    trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
    trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
    sample_fields: ['timestamp_us', 'last_assigned_id'],
    location_fields: ['object_index', 'script_id', 'line', 'column'],
  }
  const header = { meta, node_count: nodes.length, edge_count: edges.length, trace_function_count: 0, ...opts.header }
  return (
    `{"snapshot":${JSON.stringify(header)},\n"nodes":[${nodes.map((n) => n.join(',')).join('\n,')}],\n` +
    `"edges":[${edges.map((e) => e.join(',')).join('\n,')}],\n"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[],\n` +
    `"strings":[${strings.map((s) => JSON.stringify(s)).join(',\n')}]}`
  )
}

/** Splits bytes into chunks of `size` (the last one shorter). */
export function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size))
  return out
}
