/**
 * A streaming push parser for V8 `.heapsnapshot` files: fed byte chunks in order (never the whole file
 * as one string, so snapshots far beyond V8's ~512 MB string limit load), it fills the model's typed-array
 * columns directly.
 * Format: V8's HeapSnapshotJSONSerializer (src/profiler/heap-snapshot-generator.cc), read as DevTools'
 * HeapSnapshotLoader.ts does, with stricter checks.
 */
import type { HeapEdgeTable, HeapNodeTable, HeapSnapshot, HeapSnapshotMeta, HeapSnapshotRawMeta } from '../model/heap.js'
import { resized } from '../model/typed-arrays.js'
import { ProfileFormatError, validateHeapSnapshot } from './validate.js'

/**
 * WHATWG TextDecoder is a global in Node, browsers and workers alike, but lib ES2022 (core's only lib)
 * does not declare it; these two members are all the parser uses.
 */
declare const TextDecoder: new (label?: string) => { decode(input: Uint8Array): string }

/** A push parser: call write() with each chunk in order, then end() for the snapshot. */
export interface HeapSnapshotParser {
  /** Parses one chunk. The chunk may be reused by the caller afterwards (the parser copies what it keeps). */
  write(chunk: Uint8Array): void
  /** Checks the input is complete and consistent, and returns the snapshot; throws a ProfileFormatError otherwise. */
  end(): HeapSnapshot
  /** Bytes consumed so far. */
  readonly bytesRead: number
}

/** Parses a snapshot held in memory, as one buffer or as chunks (a convenience over createHeapSnapshotParser). */
export function parseHeapSnapshot(input: Uint8Array | Iterable<Uint8Array>): HeapSnapshot {
  const parser = createHeapSnapshotParser()
  if (input instanceof Uint8Array) parser.write(input)
  else for (const chunk of input) parser.write(chunk)
  return parser.end()
}

// Top-level states: the file is one JSON object whose values are handled by key.
const S_START = 0
const S_KEY_OR_END = 1 // just after '{'
const S_KEY = 2 // after ',': a key must follow
const S_IN_KEY = 3
const S_COLON = 4
const S_VALUE = 5 // a sub-parser for the current key is running
const S_AFTER_VALUE = 6
const S_DONE = 7

// Phases shared by the array sub-parsers.
const A_BEFORE_OPEN = -1 // expecting '['
const A_FIRST = 0 // after '[': a value or ']'
const A_IN_VALUE = 1 // inside a number or a string
const A_AFTER_VALUE = 2 // a value ended: ',' or ']'
const A_AFTER_COMMA = 3 // a value must follow

const QUOTE = 34
const BACKSLASH = 92
const COMMA = 44
const COLON = 58
const OPEN_BRACE = 123
const CLOSE_BRACE = 125
const OPEN_BRACKET = 91
const CLOSE_BRACKET = 93
const MAX_U32 = 0xffffffff

const isWhitespace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9

/** Sections parsed into typed arrays; every other key is skipped (trace_function_infos, trace_tree, samples). */
type NumericSection = 'nodes' | 'edges' | 'locations'

/** Values the scanner collects before they are spread into columns (any size works: a partial record waits in the batch). */
const BATCH_VALUES = 1 << 16

/**
 * Where the values of one numeric section go. The scanner writes plain numbers into `batch`; full records
 * are then spread into one column per field by a loop specialized for the section (so every store is to a
 * typed array of one known kind, which is what keeps the hot loops fast).
 */
interface TableSink {
  section: NumericSection
  fieldCount: number
  /** Position of each field in a record, -1 when absent. */
  typeField: number
  nameField: number
  idField: number
  selfSizeField: number
  edgeCountField: number
  traceField: number
  detachednessField: number
  toNodeField: number
  /** Node field count: V8's to_node values are offsets into its flat nodes array. */
  nodeFieldCount: number
  type: Uint8Array
  name: Uint32Array
  id: Uint32Array
  selfSize: Uint32Array
  /** Edge counts go to firstEdge[record + 1], summed into first-edge indexes at the end. */
  firstEdge: Uint32Array
  /** Allocated on the first non-zero value: these fields are almost always 0. */
  trace: Uint32Array | null
  detachedness: Uint8Array | null
  toNode: Uint32Array
  /** Locations: every value, flat. */
  flat: Uint32Array
  /** Records the columns can hold; `exact` when the header declared the count (more is an error, not a reason to grow). */
  capacity: number
  exact: boolean
  record: number
  batch: Uint32Array
  batchLength: number
}

/** Field positions resolved from `snapshot.meta`. */
interface Layout {
  nodeFields: string[]
  edgeFields: string[]
  nodeTypes: string[]
  edgeTypes: string[]
  locationFieldCount: number
}

export function createHeapSnapshotParser(): HeapSnapshotParser {
  const decoder = new TextDecoder('utf-8')
  let state = S_START
  let ended = false
  let consumedBefore = 0 // bytes in earlier chunks, for error positions
  let key = ''
  let keyBytes: number[] = []
  let keyEscape = false
  const seen = new Set<string>()

  let rawMeta: HeapSnapshotRawMeta | undefined
  let meta: Omit<HeapSnapshotMeta, 'raw'> | undefined
  let layout: Layout | undefined

  // The numeric section being parsed, and the finished ones.
  let sink: TableSink | undefined
  let numPhase = A_BEFORE_OPEN
  let numValue = 0
  const finished: Partial<Record<NumericSection, TableSink>> = {}

  // The strings array.
  let strPhase = A_BEFORE_OPEN
  let strEscape = false
  /** Bytes of a string (or run of strings) begun in earlier chunks and not yet decoded. */
  let strCarry: Uint8Array[] = []
  const strings: string[] = []

  // The generic value skipper (optionally capturing, for the small "snapshot" header).
  let skipStarted = false
  let skipDepth = 0
  let skipInString = false
  let skipEscape = false
  let skipScalar = false
  let capture: Uint8Array[] | undefined

  const fail = (message: string, at?: number): never => {
    const where = at === undefined ? '' : ` at byte ${consumedBefore + at}`
    throw new ProfileFormatError(`heap snapshot: ${message}${where}`)
  }
  const describeByte = (c: number): string =>
    c >= 32 && c < 127 ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`

  function beginValue(): void {
    if (seen.has(key)) fail(`duplicate key "${key}"`)
    seen.add(key)
    if (key === 'nodes' || key === 'edges' || key === 'locations') {
      sink = createSink(key)
      numPhase = A_BEFORE_OPEN
      numValue = 0
    } else if (key === 'strings') {
      strPhase = A_BEFORE_OPEN
    } else {
      skipStarted = false
      skipDepth = 0
      skipInString = false
      skipEscape = false
      skipScalar = false
      capture = key === 'snapshot' ? [] : undefined
    }
  }

  /** The columns for a numeric section, sized from the header's counts when it has them. */
  function createSink(section: NumericSection): TableSink {
    if (!layout || !meta)
      return fail(`"${section}" comes before the "snapshot" header: not a V8 heap snapshot (V8 writes the header first)`)
    const fields = section === 'nodes' ? layout.nodeFields : section === 'edges' ? layout.edgeFields : ['value']
    const declared = section === 'nodes' ? meta.declaredNodeCount : section === 'edges' ? meta.declaredEdgeCount : null
    const capacity = declared ?? 1 << 12
    const at = (name: string): number => fields.indexOf(name)
    const u32 = (wanted: boolean): Uint32Array => new Uint32Array(wanted ? capacity : 0)
    const isNodes = section === 'nodes'
    const isEdges = section === 'edges'
    return {
      section,
      fieldCount: fields.length,
      typeField: at('type'),
      nameField: isNodes ? at('name') : at('name_or_index'),
      idField: at('id'),
      selfSizeField: at('self_size'),
      edgeCountField: at('edge_count'),
      traceField: at('trace_node_id'),
      detachednessField: at('detachedness'),
      toNodeField: at('to_node'),
      nodeFieldCount: layout.nodeFields.length,
      type: new Uint8Array(isNodes || isEdges ? capacity : 0),
      name: u32(isNodes || isEdges),
      id: u32(isNodes),
      selfSize: u32(isNodes),
      firstEdge: new Uint32Array(isNodes ? capacity + 1 : 0),
      trace: null,
      detachedness: null,
      toNode: u32(isEdges),
      flat: u32(section === 'locations'),
      capacity,
      exact: declared !== null,
      record: 0,
      batch: new Uint32Array(BATCH_VALUES + fields.length),
      batchLength: 0,
    }
  }

  /** Room for at least `records` records: doubling when the header gave no count, an error when it did. */
  function reserve(t: TableSink, records: number): void {
    if (records <= t.capacity) return
    if (t.exact) {
      const declared =
        t.section === 'nodes' ? `snapshot.node_count (${meta?.declaredNodeCount})` : `snapshot.edge_count (${meta?.declaredEdgeCount})`
      fail(`"${t.section}" holds more records than ${declared}`)
    }
    let cap = t.capacity
    while (cap < records) cap *= 2
    // Columns left empty (not in this snapshot) stay empty.
    const grow = <T extends Uint32Array | Uint8Array>(column: T, size = cap): T => (column.length === 0 ? column : resized(column, size))
    t.type = grow(t.type)
    t.name = grow(t.name)
    t.id = grow(t.id)
    t.selfSize = grow(t.selfSize)
    t.firstEdge = grow(t.firstEdge, cap + 1)
    t.toNode = grow(t.toNode)
    t.flat = grow(t.flat)
    if (t.trace) t.trace = grow(t.trace)
    if (t.detachedness) t.detachedness = grow(t.detachedness)
    t.capacity = cap
  }

  /** Spreads the complete records of the batch into the columns, keeping a partial record for later. */
  function flushBatch(t: TableSink): void {
    const fc = t.fieldCount
    const records = Math.floor(t.batchLength / fc)
    const used = records * fc
    const b = t.batch
    reserve(t, t.record + records)
    let r = t.record
    if (t.section === 'nodes') {
      const { typeField, nameField, idField, selfSizeField, edgeCountField, traceField, detachednessField } = t
      const { type, name, id, selfSize, firstEdge } = t
      for (let k = 0; k < used; k += fc, r++) {
        const ty = b[k + typeField] as number
        if (ty > 255) fail(`node #${r} has type ${ty}, beyond the node types`)
        type[r] = ty
        name[r] = b[k + nameField] as number
        id[r] = b[k + idField] as number
        selfSize[r] = b[k + selfSizeField] as number
        firstEdge[r + 1] = b[k + edgeCountField] as number
        if (traceField >= 0 && b[k + traceField] !== 0) (t.trace ??= new Uint32Array(t.capacity))[r] = b[k + traceField] as number
        if (detachednessField >= 0 && b[k + detachednessField] !== 0) {
          const d = b[k + detachednessField] as number
          if (d > 255) fail(`node #${r} has detachedness ${d}, beyond 255`)
          ;(t.detachedness ??= new Uint8Array(t.capacity))[r] = d
        }
      }
    } else if (t.section === 'edges') {
      const { typeField, nameField, toNodeField, nodeFieldCount } = t
      const { type, name, toNode } = t
      for (let k = 0; k < used; k += fc, r++) {
        const ty = b[k + typeField] as number
        if (ty > 255) fail(`edge #${r} has type ${ty}, beyond the edge types`)
        type[r] = ty
        name[r] = b[k + nameField] as number
        const to = b[k + toNodeField] as number
        const ordinal = to / nodeFieldCount
        if (ordinal !== Math.floor(ordinal)) fail(`edge #${r} points to node offset ${to}, which is not the start of a node`)
        toNode[r] = ordinal
      }
    } else {
      t.flat.set(b.subarray(0, used), r)
      r += records
    }
    t.record = r
    b.copyWithin(0, used, t.batchLength)
    t.batchLength -= used
  }

  /** Parses numbers of the current numeric section from chunk[i..]; returns where it stopped. */
  function parseNumbers(chunk: Uint8Array, i: number): number {
    const t = sink as TableSink
    const n = chunk.length
    let phase = numPhase
    let value = numValue
    const batch = t.batch
    let length = t.batchLength
    if (phase === A_BEFORE_OPEN) {
      while (i < n && isWhitespace(chunk[i] as number)) i++
      if (i === n) return i
      if (chunk[i] !== OPEN_BRACKET) fail(`"${t.section}" must be an array of numbers, found ${describeByte(chunk[i] as number)}`, i)
      phase = A_FIRST
      i++
    }
    let closed = false
    while (i < n) {
      let c = chunk[i] as number
      if (c >= 48 && c <= 57) {
        if (phase === A_AFTER_VALUE) fail(`missing ',' between numbers in "${t.section}"`, i)
        // A whole run of digits in one tight loop (a number split across chunks continues from `value`).
        let v = value
        do {
          v = v * 10 + (c - 48)
          if (++i === n) break
          c = chunk[i] as number
        } while (c >= 48 && c <= 57)
        value = v
        phase = A_IN_VALUE
        if (i === n) break
      }
      // Any other byte ends a number in progress; storing it here keeps the store in one place.
      if (phase === A_IN_VALUE) {
        if (value > MAX_U32) fail(`"${t.section}" value #${t.record * t.fieldCount + length} is ${value}, more than 4294967295`, i)
        batch[length++] = value
        if (length >= BATCH_VALUES) {
          t.batchLength = length
          flushBatch(t)
          length = t.batchLength
        }
        value = 0
        phase = A_AFTER_VALUE
      }
      if (c === COMMA) {
        if (phase !== A_AFTER_VALUE) fail(`unexpected ',' in "${t.section}"`, i)
        phase = A_AFTER_COMMA
      } else if (c === CLOSE_BRACKET) {
        if (phase === A_AFTER_COMMA) fail(`trailing ',' in "${t.section}"`, i)
        closed = true
        i++
        break
      } else if (!isWhitespace(c)) {
        fail(`unexpected ${describeByte(c)} in "${t.section}" (only non-negative integers are allowed)`, i)
      }
      i++
    }
    numPhase = phase
    numValue = value
    t.batchLength = length
    if (closed) {
      flushBatch(t)
      if (t.batchLength !== 0) fail(`"${t.section}" ends inside a record: its length is not a multiple of the ${t.fieldCount} fields`)
      finished[t.section] = t
      sink = undefined
      state = S_AFTER_VALUE
    }
    return i
  }

  /** Parses the strings array from chunk[i..]: finds where strings end, and decodes complete ones in one batch. */
  function parseStrings(chunk: Uint8Array, i: number): number {
    const n = chunk.length
    let phase = strPhase
    let escape = strEscape
    if (phase === A_BEFORE_OPEN) {
      while (i < n && isWhitespace(chunk[i] as number)) i++
      if (i === n) return i
      if (chunk[i] !== OPEN_BRACKET) fail(`"strings" must be an array of strings, found ${describeByte(chunk[i] as number)}`, i)
      phase = A_FIRST
      i++
    }
    // batchStart: first byte of the strings to decode from this chunk (with strCarry in front when a string
    // was already open); lastEnd: one past the closing quote of the last string completed in this chunk.
    let batchStart = phase === A_IN_VALUE ? i : -1
    let openStart = batchStart
    let lastEnd = -1
    let closed = false
    for (; i < n; i++) {
      const c = chunk[i] as number
      if (phase === A_IN_VALUE) {
        if (escape) escape = false
        else if (c === BACKSLASH) escape = true
        else if (c === QUOTE) {
          phase = A_AFTER_VALUE
          lastEnd = i + 1
        }
        continue
      }
      if (isWhitespace(c)) continue
      if (c === QUOTE && (phase === A_FIRST || phase === A_AFTER_COMMA)) {
        phase = A_IN_VALUE
        openStart = i
        if (batchStart < 0) batchStart = i
      } else if (c === COMMA && phase === A_AFTER_VALUE) {
        phase = A_AFTER_COMMA
      } else if (c === CLOSE_BRACKET && (phase === A_FIRST || phase === A_AFTER_VALUE)) {
        closed = true
        i++
        break
      } else {
        fail(`unexpected ${describeByte(c)} in "strings" (after string #${strings.length})`, i)
      }
    }
    if (lastEnd >= 0) {
      const tail = chunk.subarray(batchStart, lastEnd)
      decodeStrings(strCarry.length > 0 ? concatBytes([...strCarry, tail]) : tail)
      strCarry = []
    }
    if (phase === A_IN_VALUE) strCarry.push(chunk.slice(openStart, i))
    strPhase = phase
    strEscape = escape
    if (closed) state = S_AFTER_VALUE
    return i
  }

  /** Decodes a run of complete JSON strings separated by commas (UTF-8 bytes) and appends them. */
  function decodeStrings(bytes: Uint8Array): void {
    // JSON.parse does the unescaping (\uXXXX, surrogate pairs, \n ...) natively and exactly as JSON defines it.
    let parsed: unknown
    try {
      parsed = JSON.parse(`[${decoder.decode(bytes)}]`)
    } catch (err) {
      fail(`invalid string in "strings" near string #${strings.length} (${(err as Error).message})`)
    }
    const list = parsed as string[]
    for (let k = 0; k < list.length; k++) strings.push(list[k] as string)
  }

  /** Skips (and, for "snapshot", captures) one JSON value of any shape from chunk[i..]. */
  function skipValue(chunk: Uint8Array, i: number): number {
    const n = chunk.length
    const from = i
    let done = false
    for (; i < n; i++) {
      const c = chunk[i] as number
      if (skipInString) {
        if (skipEscape) skipEscape = false
        else if (c === BACKSLASH) skipEscape = true
        else if (c === QUOTE) {
          skipInString = false
          if (skipDepth === 0) {
            done = true
            i++
            break
          }
        }
        continue
      }
      if (!skipStarted) {
        if (isWhitespace(c)) continue
        skipStarted = true
        if (c === OPEN_BRACE || c === OPEN_BRACKET) skipDepth = 1
        else if (c === QUOTE) skipInString = true
        else if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === COLON) fail(`missing value for "${key}"`, i)
        else skipScalar = true
        continue
      }
      if (skipScalar) {
        // A number, true, false or null ends at the delimiter, which the top level then reads.
        if (c === COMMA || c === CLOSE_BRACE || isWhitespace(c)) {
          done = true
          break
        }
        continue
      }
      if (c === QUOTE) skipInString = true
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) skipDepth++
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        skipDepth--
        if (skipDepth === 0) {
          done = true
          i++
          break
        }
      }
    }
    if (capture) capture.push(chunk.slice(from, i))
    if (done) {
      if (capture) readHeader(concatBytes(capture))
      capture = undefined
      state = S_AFTER_VALUE
    }
    return i
  }

  function readHeader(bytes: Uint8Array): void {
    let header: unknown
    try {
      header = JSON.parse(decoder.decode(bytes))
    } catch (err) {
      fail(`"snapshot" header is not valid JSON (${(err as Error).message})`)
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('"snapshot" must be an object with "meta"')
    const h = header as Record<string, unknown>
    if (typeof h.meta !== 'object' || h.meta === null) fail('"snapshot" has no "meta": not a V8 heap snapshot')
    rawMeta = h.meta as HeapSnapshotRawMeta
    layout = resolveLayout(rawMeta)
    const count = (name: string): number | null => {
      const v = h[name]
      if (v === undefined) return null
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
        fail(`snapshot.${name} must be a non-negative integer, not ${JSON.stringify(v)}`)
      return v as number
    }
    const rootIndex = count('root_index') ?? 0
    const nodeFieldCount = layout.nodeFields.length
    if (rootIndex % nodeFieldCount !== 0)
      fail(`snapshot.root_index ${rootIndex} is not a multiple of the node field count ${nodeFieldCount}`)
    meta = {
      declaredNodeCount: count('node_count'),
      declaredEdgeCount: count('edge_count'),
      traceFunctionCount: count('trace_function_count') ?? 0,
      extraNativeBytes: count('extra_native_bytes') ?? 0,
      rootOrdinal: rootIndex / nodeFieldCount,
    }
  }

  function write(chunk: Uint8Array): void {
    const n = chunk.length
    let i = 0
    while (i < n) {
      const c = chunk[i] as number
      switch (state) {
        case S_START:
          if (c === OPEN_BRACE) state = S_KEY_OR_END
          else if (!isWhitespace(c)) fail(`expected '{' at the start, found ${describeByte(c)}: not a heap snapshot`, i)
          i++
          break
        case S_KEY_OR_END:
        case S_KEY:
          if (c === QUOTE) {
            state = S_IN_KEY
            keyBytes = []
            keyEscape = false
          } else if (c === CLOSE_BRACE && state === S_KEY_OR_END) state = S_DONE
          else if (!isWhitespace(c)) fail(`expected a key, found ${describeByte(c)}`, i)
          i++
          break
        case S_IN_KEY:
          if (keyEscape) keyEscape = false
          else if (c === BACKSLASH) keyEscape = true
          else if (c === QUOTE) {
            key = JSON.parse(`"${decoder.decode(Uint8Array.from(keyBytes))}"`) as string
            state = S_COLON
            i++
            break
          }
          keyBytes.push(c)
          i++
          break
        case S_COLON:
          if (c === COLON) {
            state = S_VALUE
            beginValue()
          } else if (!isWhitespace(c)) fail(`expected ':' after "${key}", found ${describeByte(c)}`, i)
          i++
          break
        case S_VALUE:
          if (key === 'nodes' || key === 'edges' || key === 'locations') i = parseNumbers(chunk, i)
          else if (key === 'strings') i = parseStrings(chunk, i)
          else i = skipValue(chunk, i)
          break
        case S_AFTER_VALUE:
          if (c === COMMA) state = S_KEY
          else if (c === CLOSE_BRACE) state = S_DONE
          else if (!isWhitespace(c)) fail(`expected ',' or '}' after "${key}", found ${describeByte(c)}`, i)
          i++
          break
        case S_DONE:
          if (!isWhitespace(c)) fail(`unexpected ${describeByte(c)} after the end of the snapshot`, i)
          i++
          break
      }
    }
    consumedBefore += n
  }

  function describeTruncation(): string {
    if (state === S_VALUE) {
      if (sink) {
        const expected = sink.exact ? ` of ${sink.capacity}` : ''
        return `inside "${key}" after ${sink.record}${expected} records`
      }
      if (key === 'strings') return `inside "strings" after ${strings.length} strings`
      return `inside "${key}"`
    }
    if (state === S_START) return 'before any content'
    return key ? `after "${key}"` : 'in the header'
  }

  function end(): HeapSnapshot {
    if (ended) fail('end() was already called')
    ended = true
    if (state !== S_DONE) fail(`the file is truncated: input ended ${describeTruncation()} (${consumedBefore} bytes read)`)
    if (!rawMeta || !layout || !meta) return fail('no "snapshot" header with "meta": not a V8 heap snapshot')
    const nodes = finished.nodes
    const edges = finished.edges
    if (!nodes) return fail('no "nodes" array')
    if (!edges) return fail('no "edges" array')
    if (!seen.has('strings')) fail('no "strings" array')
    return finish({ raw: rawMeta, ...meta }, layout, nodes, edges, finished.locations, strings)
  }

  return {
    write,
    end,
    get bytesRead() {
      return consumedBefore
    },
  }
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array
  let total = 0
  for (const p of parts) total += p.length
  const out = new Uint8Array(total)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Resolves the fields the model needs from `snapshot.meta`; throws naming the first one that is missing. */
function resolveLayout(raw: HeapSnapshotRawMeta): Layout {
  const bad = (message: string): never => {
    throw new ProfileFormatError(`heap snapshot: unknown layout: ${message}`)
  }
  const { node_fields: nodeFields, edge_fields: edgeFields, node_types: nodeTypeDefs, edge_types: edgeTypeDefs } = raw
  if (!Array.isArray(nodeFields) || !Array.isArray(edgeFields) || !Array.isArray(nodeTypeDefs) || !Array.isArray(edgeTypeDefs)) {
    return bad('snapshot.meta must have node_fields, node_types, edge_fields and edge_types arrays')
  }
  for (const name of ['type', 'name', 'id', 'self_size', 'edge_count']) {
    if (!nodeFields.includes(name)) bad(`snapshot.meta.node_fields has no "${name}" (has ${JSON.stringify(nodeFields)})`)
  }
  for (const name of ['type', 'name_or_index', 'to_node']) {
    if (!edgeFields.includes(name)) bad(`snapshot.meta.edge_fields has no "${name}" (has ${JSON.stringify(edgeFields)})`)
  }
  const nodeTypes = nodeTypeDefs[nodeFields.indexOf('type')]
  const edgeTypes = edgeTypeDefs[edgeFields.indexOf('type')]
  if (!Array.isArray(nodeTypes) || !Array.isArray(edgeTypes))
    return bad('node_types and edge_types must list the names of the "type" field')
  if (nodeTypes.length > 256 || edgeTypes.length > 256) bad('more than 256 node or edge types')
  return {
    nodeFields: nodeFields.map(String),
    edgeFields: edgeFields.map(String),
    nodeTypes: nodeTypes.map(String),
    edgeTypes: edgeTypes.map(String),
    locationFieldCount: Array.isArray(raw.location_fields) ? raw.location_fields.length : 0,
  }
}

/** A column holding exactly `length` records (sliced when the header gave no count and the column grew). */
function trim<T extends Uint32Array | Uint8Array>(column: T, length: number): T {
  return (column.length === length ? column : column.slice(0, length)) as T
}

/**
 * Checks the tables against the header and each other, turns edge counts into first-edge indexes, and
 * builds the snapshot. O(nodes + edges).
 */
function finish(
  meta: HeapSnapshotMeta,
  layout: Layout,
  nodeSink: TableSink,
  edgeSink: TableSink,
  locationSink: TableSink | undefined,
  strings: string[],
): HeapSnapshot {
  const nodeCount = nodeSink.record
  const edgeCount = edgeSink.record
  const firstEdge = trim(nodeSink.firstEdge, nodeCount + 1)
  // Edge counts become first-edge indexes by a running sum.
  for (let i = 0; i < nodeCount; i++) firstEdge[i + 1] = (firstEdge[i + 1] as number) + (firstEdge[i] as number)
  const nodes: HeapNodeTable = {
    length: nodeCount,
    type: trim(nodeSink.type, nodeCount),
    name: trim(nodeSink.name, nodeCount),
    id: trim(nodeSink.id, nodeCount),
    selfSize: trim(nodeSink.selfSize, nodeCount),
    firstEdge,
    traceNodeId: nodeSink.trace ? trim(nodeSink.trace, nodeCount) : null,
    detachedness: nodeSink.detachedness ? trim(nodeSink.detachedness, nodeCount) : null,
  }
  const edges: HeapEdgeTable = {
    length: edgeCount,
    type: trim(edgeSink.type, edgeCount),
    nameOrIndex: trim(edgeSink.name, edgeCount),
    toNode: trim(edgeSink.toNode, edgeCount),
  }

  const locations = locationSink ? trim(locationSink.flat, locationSink.record) : new Uint32Array(0)
  const snapshot: HeapSnapshot = {
    meta,
    nodeTypes: layout.nodeTypes,
    edgeTypes: layout.edgeTypes,
    nodes,
    edges,
    strings,
    locations,
    locationFieldCount: layout.locationFieldCount,
  }
  validateHeapSnapshot(snapshot)
  return snapshot
}
