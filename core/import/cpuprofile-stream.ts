/**
 * Imports a `.cpuprofile` from its bytes without building the JSON object tree or a string of the whole
 * file (so profiles past V8's ~512 MB string limit load): a tokenizer walks the top-level object and
 * - reads `samples` and `timeDeltas` straight into typed arrays with a number scanner of its own (these two
 *   arrays are most of a large profile, and JSON.parse would box every value into a JS array);
 * - reads `nodes` in batches of about a megabyte: it finds where each node object ends (strings and nesting
 *   tracked byte by byte), decodes the batch and hands it to JSON.parse, then keeps only the columns the
 *   call tree needs (id, function, hit count, children or parent) and drops the objects;
 * - skips every other key without decoding it.
 * The checks and the time attribution are the object importer's (core/import/cpuprofile.ts shares
 * rootAndOrder and attributeSamples with it), so both give identical call trees; errors carry the byte
 * offset. Written here rather than with a streaming JSON library (stream-json, @streamparser/json, clarinet)
 * because those emit one JS value per array element, which is slower than JSON.parse itself.
 */
import { categorizeFrame } from '../analysis/categories.js'
import { type CallTree, createCallTreeBuilder, createFunctionInterner } from '../model/call-tree.js'
import { type CpuProfileCallFrame, type CpuProfileImportOptions, ProfileFormatError, attributeSamples, frameIdentity, rootAndOrder } from './cpuprofile.js'

declare const TextDecoder: new (label?: string) => { decode(input: Uint8Array): string }

export interface CpuProfileBytesOptions extends CpuProfileImportOptions {
  /** For messages. */
  fileName?: string
  /** Called now and then with the bytes consumed and the total. */
  onProgress?: (done: number, total: number) => void
}

const QUOTE = 34
const BACKSLASH = 92
const COMMA = 44
const COLON = 58
const OPEN_BRACE = 123
const CLOSE_BRACE = 125
const OPEN_BRACKET = 91
const CLOSE_BRACKET = 93
const MINUS = 45
const ZERO = 48
const NINE = 57

/** Bytes of node objects decoded and parsed at once. */
const NODE_BATCH_BYTES = 1 << 20
/** Bytes between progress reports. */
const PROGRESS_BYTES = 8 << 20

/** The columns of the profile as they are read. */
interface Columns {
  nodeCount: number
  ids: Int32Array
  funcOf: Int32Array
  names: string[]
  hitCount: Int32Array
  /** Children ids, flat, with childStart[i]..childStart[i+1] for node i (when the file uses `children`). */
  childIds: Int32Array
  childCount: number
  childStart: Int32Array
  /** Parent id per node, or NaN-free sentinel -2^31 when absent (profiles from traces). */
  parentIds: Int32Array
  usesChildren: boolean
  usesParent: boolean
}

const NO_PARENT = -2147483648

function grow<T extends Int32Array | Float64Array>(a: T, need: number): T {
  if (need <= a.length) return a
  let size = a.length * 2
  while (size < need) size *= 2
  const b = new (a.constructor as new (n: number) => T)(size)
  b.set(a)
  return b
}

/** Imports a `.cpuprofile` from its bytes; throws a ProfileFormatError with the byte offset of the problem. */
export function importCpuProfileBytes(b: Uint8Array, options: CpuProfileBytesOptions = {}): CallTree {
  const len = b.length
  const who = options.fileName ? `${options.fileName}: ` : ''
  const fail = (message: string): never => {
    throw new ProfileFormatError(`${who}CPU profile: ${message}`)
  }
  const at = (p: number): string => (p >= len ? `the end of the file (byte ${len}; the file is truncated)` : `byte ${p}`)
  const unexpected = (p: number, what: string): never => {
    if (p >= len) return fail(`the file ends at byte ${len} while ${what} was expected; the file is truncated`)
    const c = b[p] as number
    const shown = c >= 32 && c < 127 ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`
    return fail(`unexpected ${shown} at byte ${p}, where ${what} was expected`)
  }
  const decoder = new TextDecoder('utf-8')
  const progress = options.onProgress
  let nextProgress = PROGRESS_BYTES

  let pos = 0
  const skipWs = (): void => {
    while (pos < len) {
      const c = b[pos] as number
      if (c === 32 || c === 10 || c === 13 || c === 9) pos++
      else break
    }
  }
  const expect = (c: number, what: string): void => {
    skipWs()
    if (b[pos] !== c) unexpected(pos, what)
    pos++
  }
  /** Index of the closing quote of the string whose opening quote is at `p`. */
  const stringEnd = (p: number): number => {
    let q = p + 1
    while (q < len) {
      const c = b[q] as number
      if (c === QUOTE) return q
      if (c === BACKSLASH) q += 2
      else q++
    }
    return unexpected(len, 'the end of a string')
  }
  const readKey = (): string => {
    skipWs()
    if (b[pos] !== QUOTE) unexpected(pos, 'a key in quotes')
    const end = stringEnd(pos)
    const key = decoder.decode(b.subarray(pos + 1, end))
    pos = end + 1
    return key
  }
  /** Skips one JSON value of any kind (checked only for balance; the value is unused). */
  const skipValue = (): void => {
    skipWs()
    const c = b[pos]
    if (c === QUOTE) {
      pos = stringEnd(pos) + 1
      return
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      let depth = 0
      while (pos < len) {
        const d = b[pos] as number
        if (d === QUOTE) pos = stringEnd(pos)
        else if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++
        else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
          depth--
          if (depth === 0) {
            pos++
            return
          }
        }
        pos++
      }
      unexpected(len, 'the end of a value')
    }
    const start = pos
    while (pos < len) {
      const d = b[pos] as number
      if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || d === 32 || d === 10 || d === 13 || d === 9) break
      pos++
    }
    if (pos === start) unexpected(pos, 'a value')
  }
  /** A number at pos (any JSON number); NaN when there is none (pos unchanged). */
  const readNumber = (): number => {
    const start = pos
    let p = pos
    let negative = false
    if (b[p] === MINUS) {
      negative = true
      p++
    }
    let value = 0
    let digits = 0
    while (p < len) {
      const c = b[p] as number
      if (c < ZERO || c > NINE) break
      value = value * 10 + (c - ZERO)
      digits++
      p++
    }
    if (digits === 0) return NaN
    const c = b[p]
    if (c === 46 || c === 101 || c === 69 || digits > 15) {
      // A fraction, an exponent or more digits than a double holds exactly: the slow, exact way.
      while (p < len) {
        const d = b[p] as number
        if ((d >= ZERO && d <= NINE) || d === 46 || d === 101 || d === 69 || d === 43 || d === MINUS) p++
        else break
      }
      pos = p
      const text = decoder.decode(b.subarray(start, p))
      const v = Number(text)
      if (Number.isNaN(v)) fail(`${JSON.stringify(text)} at byte ${start} is not a number`)
      return v
    }
    pos = p
    return negative ? -value : value
  }
  const reportProgress = (): void => {
    if (progress && pos >= nextProgress) {
      progress(pos, len)
      nextProgress = pos + PROGRESS_BYTES
    }
  }
  /** A JSON array of numbers into a typed array; `what` names the array for messages. */
  const readNumberArray = <T extends Int32Array | Float64Array>(initial: T, what: string, integers: boolean): { values: T; length: number } => {
    skipWs()
    if (b[pos] === 110 /* null */) fail(`\`${what}\` is null at byte ${pos}, not an array`)
    if (b[pos] !== OPEN_BRACKET) fail(`\`${what}\` must be an array of ${integers ? 'node ids' : 'numbers'} (${at(pos)})`)
    pos++
    let values = initial
    let n = 0
    skipWs()
    if (b[pos] === CLOSE_BRACKET) {
      pos++
      return { values, length: 0 }
    }
    for (;;) {
      skipWs()
      const start = pos
      const v = readNumber()
      if (Number.isNaN(v)) {
        if (pos >= len) unexpected(pos, `${what}[${n}]`)
        const c = b[pos] as number
        if (c === 110 || c === QUOTE || c === 116 || c === 102 || c === OPEN_BRACE || c === OPEN_BRACKET) {
          const vStart = pos
          skipValue()
          const text = decoder.decode(b.subarray(vStart, Math.min(pos, vStart + 40)))
          fail(integers ? `sample ${n} is ${text}, not a node id (byte ${vStart})` : `timeDeltas[${n}] is ${text}, not a number (byte ${vStart})`)
        }
        unexpected(pos, `${what}[${n}]`)
      }
      if (integers && (!Number.isInteger(v) || v > 2147483647 || v < -2147483648)) fail(`sample ${n} is ${v}, not a node id (byte ${start})`)
      if (n === values.length) values = grow(values, n + 1)
      values[n++] = v
      if ((n & 0x3ffff) === 0) reportProgress()
      // The common separator without whitespace, checked before the general path.
      const c = b[pos]
      if (c === COMMA) {
        pos++
        continue
      }
      skipWs()
      const d = b[pos]
      if (d === COMMA) pos++
      else if (d === CLOSE_BRACKET) {
        pos++
        break
      } else unexpected(pos, `',' or ']' after ${what}[${n - 1}]`)
    }
    reportProgress()
    return { values, length: n }
  }

  // Columns grow as nodes arrive.
  let cap = 1024
  const cols: Columns = {
    nodeCount: 0,
    ids: new Int32Array(cap),
    funcOf: new Int32Array(cap),
    names: [],
    hitCount: new Int32Array(cap),
    childIds: new Int32Array(cap),
    childCount: 0,
    childStart: new Int32Array(cap + 1),
    parentIds: new Int32Array(cap).fill(NO_PARENT),
    usesChildren: false,
    usesParent: false,
  }
  const interner = createFunctionInterner()
  const ensureNodes = (need: number): void => {
    if (need <= cap) return
    let next = cap * 2
    while (next < need) next *= 2
    cols.ids = grow(cols.ids, next)
    cols.funcOf = grow(cols.funcOf, next)
    cols.hitCount = grow(cols.hitCount, next)
    const cs = new Int32Array(next + 1)
    cs.set(cols.childStart)
    cols.childStart = cs
    const pi = new Int32Array(next).fill(NO_PARENT)
    pi.set(cols.parentIds)
    cols.parentIds = pi
    cap = next
  }
  const describeType = (x: unknown): string => (x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x)

  /** One parsed node object into the columns, with the object importer's checks and messages. */
  const addNode = (node: unknown): void => {
    const i = cols.nodeCount
    if (typeof node !== 'object' || node === null) fail(`node #${i} is ${describeType(node)}, not an object`)
    const n = node as Record<string, unknown>
    if (!Number.isInteger(n.id)) fail(`node #${i} has no integer \`id\``)
    const id = n.id as number
    const cf = n.callFrame as Record<string, unknown> | null
    if (typeof cf !== 'object' || cf === null) fail(`node id ${id} has no \`callFrame\` object`)
    const frame = cf as Record<string, unknown>
    if (typeof frame.functionName !== 'string') fail(`node id ${id}: callFrame.functionName must be a string`)
    if (typeof frame.url !== 'string') fail(`node id ${id}: callFrame.url must be a string`)
    if (!Number.isInteger(frame.lineNumber) || !Number.isInteger(frame.columnNumber)) {
      fail(`node id ${id}: callFrame.lineNumber and columnNumber must be integers`)
    }
    if (n.hitCount !== undefined && (!Number.isInteger(n.hitCount) || (n.hitCount as number) < 0)) {
      fail(`node id ${id}: hitCount must be a non-negative integer`)
    }
    const children = n.children
    if (children !== undefined && (!Array.isArray(children) || !children.every((c) => Number.isInteger(c)))) {
      fail(`node id ${id}: children must be an array of node ids`)
    }
    if (n.parent !== undefined && !Number.isInteger(n.parent)) fail(`node id ${id}: parent must be a node id`)
    if (id > 2147483647 || id < -2147483647) fail(`node #${i} has id ${id}, outside the ids this importer reads`)
    ensureNodes(i + 1)
    cols.ids[i] = id
    const callFrame = frame as unknown as CpuProfileCallFrame
    cols.funcOf[i] = interner.intern(frameIdentity(callFrame), categorizeFrame(callFrame.functionName, callFrame.url))
    cols.names.push(callFrame.functionName)
    cols.hitCount[i] = (n.hitCount as number | undefined) ?? 0
    cols.childStart[i] = cols.childCount
    if (children !== undefined) {
      cols.usesChildren = true
      const list = children as number[]
      cols.childIds = grow(cols.childIds, cols.childCount + list.length)
      for (let k = 0; k < list.length; k++) cols.childIds[cols.childCount++] = list[k] as number
    }
    cols.childStart[i + 1] = cols.childCount
    if (n.parent !== undefined) {
      cols.usesParent = true
      cols.parentIds[i] = n.parent as number
    }
    cols.nodeCount = i + 1
  }

  const readNodes = (): void => {
    skipWs()
    if (b[pos] !== OPEN_BRACKET) fail(`no \`nodes\` array (is this a .cpuprofile file?) (${at(pos)})`)
    pos++
    skipWs()
    if (b[pos] === CLOSE_BRACKET) {
      pos++
      return
    }
    for (;;) {
      // One batch: objects from batchStart to the end of the last one, then JSON.parse of `[` batch `]`.
      skipWs()
      const batchStart = pos
      let done = false
      let objects = 0
      for (;;) {
        if (b[pos] !== OPEN_BRACE) {
          if (pos >= len) unexpected(pos, 'a node object')
          // Not an object: let JSON.parse of the value report what it is through addNode's checks.
          const vStart = pos
          skipValue()
          let v: unknown
          try {
            v = JSON.parse(decoder.decode(b.subarray(vStart, pos)))
          } catch {
            unexpected(vStart, 'a node object')
          }
          if (objects > 0) flushBatch(batchStart, vStart)
          addNode(v)
          skipWs()
          if (b[pos] === COMMA) {
            pos++
            skipWs()
            continue
          }
          if (b[pos] === CLOSE_BRACKET) {
            pos++
            return
          }
          unexpected(pos, "',' or ']' in `nodes`")
        }
        // Find the end of this object.
        let depth = 0
        let p = pos
        for (;;) {
          if (p >= len) unexpected(len, 'the end of a node object')
          const c = b[p] as number
          if (c === QUOTE) {
            p++
            for (;;) {
              if (p >= len) unexpected(len, 'the end of a string')
              const d = b[p] as number
              if (d === QUOTE) break
              p += d === BACKSLASH ? 2 : 1
            }
          } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++
          else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
            depth--
            if (depth === 0) break
          }
          p++
        }
        pos = p + 1
        objects++
        skipWs()
        const sep = b[pos]
        if (sep === CLOSE_BRACKET) {
          done = true
          break
        }
        if (sep !== COMMA) unexpected(pos, "',' or ']' between nodes")
        if (pos - batchStart >= NODE_BATCH_BYTES) break
        pos++
        skipWs()
      }
      flushBatch(batchStart, pos)
      pos++ // the ',' or ']'
      reportProgress()
      if (done) return
    }
  }
  const flushBatch = (from: number, to: number): void => {
    const text = decoder.decode(b.subarray(from, to))
    let list: unknown[]
    try {
      list = JSON.parse(`[${text}]`) as unknown[]
    } catch (err) {
      return fail(`the node objects between byte ${from} and byte ${to} are not valid JSON (${(err as Error).message})`)
    }
    for (let k = 0; k < list.length; k++) addNode(list[k])
  }

  // The top-level object.
  let startTime: number | undefined
  let endTime: number | undefined
  let sawNodes = false
  let samples: { values: Int32Array; length: number } | undefined
  let deltas: { values: Float64Array; length: number } | undefined
  skipWs()
  if (pos >= len) fail('the file is empty')
  if (b[pos] !== OPEN_BRACE) {
    const c = b[pos] as number
    fail(`expected a JSON object, got ${c === OPEN_BRACKET ? 'an array' : c === QUOTE ? 'a string' : `'${String.fromCharCode(c)}'`} at byte ${pos}`)
  }
  pos++
  skipWs()
  if (b[pos] === CLOSE_BRACE) pos++
  else {
    for (;;) {
      const keyAt = pos
      const key = readKey()
      expect(COLON, `':' after the key "${key}"`)
      skipWs()
      if (key === 'nodes') {
        if (sawNodes) fail(`a second \`nodes\` key at byte ${keyAt}`)
        sawNodes = true
        readNodes()
      } else if (key === 'samples') {
        samples = readNumberArray(new Int32Array(1 << 16), 'samples', true)
      } else if (key === 'timeDeltas') {
        deltas = readNumberArray(new Float64Array(1 << 16), 'timeDeltas', false)
      } else if (key === 'startTime' || key === 'endTime') {
        const vAt = pos
        const v = readNumber()
        if (Number.isNaN(v)) {
          skipValue()
          fail(`\`${key}\` must be a number (microseconds), got ${decoder.decode(b.subarray(vAt, Math.min(pos, vAt + 40)))} at byte ${vAt}`)
        }
        if (key === 'startTime') startTime = v
        else endTime = v
      } else skipValue()
      skipWs()
      const c = b[pos]
      if (c === COMMA) {
        pos++
        continue
      }
      if (c === CLOSE_BRACE) {
        pos++
        break
      }
      unexpected(pos, "',' or '}' after a value of the profile object")
    }
  }
  skipWs()
  if (pos < len) unexpected(pos, 'the end of the file (after the profile object)')
  progress?.(len, len)

  // The object importer's checks, in its order.
  if (!sawNodes) fail('no `nodes` array (is this a .cpuprofile file?)')
  const nodeCount = cols.nodeCount
  if (nodeCount === 0) fail('the `nodes` array is empty')
  if (startTime === undefined) fail('`startTime` must be a number (microseconds), got undefined')
  if (endTime === undefined) fail('`endTime` must be a number (microseconds), got undefined')
  if ((endTime as number) < (startTime as number)) fail(`endTime (${String(endTime)}) is before startTime (${String(startTime)})`)

  // Node ids to raw indexes: a dense table when ids are small (V8 numbers them 1..n), else a Map.
  const ids = cols.ids
  let maxId = 0
  let minId = 0
  for (let i = 0; i < nodeCount; i++) {
    const id = ids[i] as number
    if (id > maxId) maxId = id
    if (id < minId) minId = id
  }
  let indexOf: (id: number) => number
  if (minId >= 0 && maxId < nodeCount * 4 + 1024) {
    const table = new Int32Array(maxId + 1).fill(-1)
    for (let i = 0; i < nodeCount; i++) {
      const id = ids[i] as number
      if ((table[id] as number) >= 0) fail(`node id ${id} appears twice (nodes #${table[id]} and #${i})`)
      table[id] = i
    }
    indexOf = (id) => (id >= 0 && id <= maxId ? (table[id] as number) : -1)
  } else {
    const map = new Map<number, number>()
    for (let i = 0; i < nodeCount; i++) {
      const id = ids[i] as number
      const known = map.get(id)
      if (known !== undefined) fail(`node id ${id} appears twice (nodes #${known} and #${i})`)
      map.set(id, i)
    }
    indexOf = (id) => map.get(id) ?? -1
  }

  const parent = new Int32Array(nodeCount).fill(-1)
  if (cols.usesChildren) {
    for (let i = 0; i < nodeCount; i++) {
      for (let k = cols.childStart[i] as number; k < (cols.childStart[i + 1] as number); k++) {
        const childId = cols.childIds[k] as number
        const c = indexOf(childId)
        if (c < 0) fail(`node id ${ids[i]} lists child id ${childId}, which is not in \`nodes\``)
        if (c === i) fail(`node id ${ids[i]} lists itself as a child`)
        if ((parent[c] as number) >= 0) fail(`node id ${childId} is a child of both ${ids[parent[c] as number]} and ${ids[i]}`)
        parent[c] = i
      }
    }
  } else if (cols.usesParent) {
    for (let i = 0; i < nodeCount; i++) {
      const pid = cols.parentIds[i] as number
      if (pid === NO_PARENT) continue
      const pi = indexOf(pid)
      if (pi < 0) fail(`node id ${ids[i]} has parent id ${pid}, which is not in \`nodes\``)
      parent[i] = pi
    }
  }
  const { root, order } = rootAndOrder(parent, (i) => ids[i] as number)

  const n = samples?.length ?? 0
  const sampleNode = new Int32Array(n)
  if (samples) {
    const sv = samples.values
    for (let i = 0; i < n; i++) {
      const k = indexOf(sv[i] as number)
      if (k < 0) fail(`sample ${i} refers to node id ${sv[i]}, which is not in \`nodes\``)
      sampleNode[i] = k
    }
  }
  let timeDeltas: Float64Array | undefined
  if (deltas) {
    if (deltas.length !== n) fail(`${n} samples but ${deltas.length} timeDeltas; they must have the same length (is the file truncated?)`)
    timeDeltas = deltas.values.subarray(0, deltas.length)
  }

  const funcOf = cols.funcOf
  const builder = createCallTreeBuilder(funcOf[root] as number)
  const treeNode = new Int32Array(nodeCount)
  const topLevel = new Int32Array(nodeCount)
  treeNode[root] = 0
  topLevel[root] = root
  for (let k = 1; k < order.length; k++) {
    const i = order[k] as number
    const p = parent[i] as number
    treeNode[i] = builder.child(treeNode[p] as number, funcOf[i] as number)
    topLevel[i] = p === root ? i : (topLevel[p] as number)
  }
  const names = cols.names
  const hits = cols.hitCount
  return attributeSamples(
    {
      builder,
      interner,
      nodeCount,
      funcOf,
      treeNode,
      topLevel,
      parent,
      root,
      functionNameOf: (i) => names[i] as string,
      hitCountOf: (i) => hits[i] as number,
      sampleNode,
      timeDeltas,
      startTime: startTime as number,
      endTime: endTime as number,
    },
    options,
  )
}
