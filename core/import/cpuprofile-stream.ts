/**
 * Imports a `.cpuprofile` from its bytes without building the JSON object tree or a string of the whole
 * file (so profiles past V8's ~512 MB string limit load): a tokenizer walks the top-level object and
 * - reads `samples` and `timeDeltas` straight into typed arrays with a number scanner of its own (these two
 *   arrays are most of a large profile, and JSON.parse would box every value into a JS array);
 * - reads each node of `nodes` straight into columns (id, function, hit count, children or parent, line
 *   ticks) with byte loops of its own; a callFrame is looked up by the hash of its bytes, and only one seen
 *   for the first time is decoded (JSON.parse), since V8 repeats a function's callFrame on every call path;
 *   a node spelled any other way (odd numbers, repeated keys, a missing field) is parsed whole with
 *   JSON.parse and goes through the object importer's checks, which name the problem;
 * - skips every other key without decoding it.
 * The plain spellings (V8's own nodes, runs of plain integers) and the callFrame table are read by
 * WebAssembly loops (core/import/cpuprofile-scan.ts), a piece of the window at a time; the rest here.
 * The checks and the time attribution are the object importer's (core/import/cpuprofile.ts shares
 * rootAndOrder and attributeSamples with it), so both give identical call trees; errors carry the byte
 * offset. Written here rather than with a streaming JSON library (stream-json, @streamparser/json, clarinet)
 * because those emit one JS value per array element, which is slower than JSON.parse itself.
 */
import { createFrameCategorizer } from '../analysis/categories.js'
import { type CallTree, createFunctionInterner } from '../model/call-tree.js'
import { createLineTickCollector } from '../model/line-ticks.js'
import { grownTo, resized } from '../model/typed-arrays.js'
import {
  type CpuProfileCallFrame,
  type CpuProfileImportOptions,
  ProfileFormatError,
  attributeSamples,
  frameIdentity,
  placeRawNodes,
  rootAndOrder,
} from './cpuprofile.js'
import { SCAN_PIECE_BYTES, createCpuProfileScanner } from './cpuprofile-scan.js'
import { checkCpuProfileNode } from './validate.js'

declare const TextDecoder: new (label?: string) => { decode(input: Uint8Array): string }

export interface CpuProfileBytesOptions extends CpuProfileImportOptions {
  /** For messages. */
  fileName?: string
  /** Called now and then with the bytes consumed and the total. */
  onProgress?: (done: number, total: number) => void
  /** Bytes read from a ByteSource at a time (default 8 MB; tests make it tiny to cross every boundary). */
  windowBytes?: number
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

/** Bytes between progress reports. */
const PROGRESS_BYTES = 8 << 20

/** The columns of the profile as they are read. */
interface Columns {
  nodeCount: number
  ids: Int32Array
  funcOf: Int32Array
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

/**
 * Where the bytes come from: a buffer in memory, or a file read piece by piece (the CLI passes fs.readSync,
 * the renderer's worker FileReaderSync over a File), so a profile never has to be in memory whole.
 */
export interface ByteSource {
  /** Total bytes. */
  readonly size: number
  /** Copies up to `length` bytes at file position `position` into `into` at `offset`; returns the count (0 at the end). */
  read(into: Uint8Array, offset: number, length: number, position: number): number
}

/** A ByteSource over bytes in memory. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(into, offset, length, position) {
      const n = Math.max(0, Math.min(length, bytes.length - position))
      into.set(bytes.subarray(position, position + n), offset)
      return n
    },
  }
}

/** Bytes read from the source at a time (the window grows only for a node object larger than this). */
const WINDOW_BYTES = 8 << 20

/**
 * Imports a `.cpuprofile` from its bytes or a ByteSource; throws a ProfileFormatError with the byte offset
 * of the problem. Memory is the call tree plus about 8 MB of window, whatever the file size.
 */
export function importCpuProfileBytes(input: Uint8Array | ByteSource, options: CpuProfileBytesOptions = {}): CallTree {
  return readCpuProfileBytes(input, options, true) as CallTree
}

/**
 * Runs every check of importCpuProfileBytes (the same errors, with byte offsets) without building the call
 * tree: what an import into the store needs before it copies the file (the tree is built when it is read).
 */
export function checkCpuProfileBytes(input: Uint8Array | ByteSource, options: CpuProfileBytesOptions = {}): void {
  readCpuProfileBytes(input, options, false)
}

/** The tokenizer and the checks; then the call tree when `build`, else null. */
function readCpuProfileBytes(input: Uint8Array | ByteSource, options: CpuProfileBytesOptions, build: boolean): CallTree | null {
  // A buffer in memory is read in place (its window is the whole buffer); a source through the window.
  const inMemory = input instanceof Uint8Array
  const source: ByteSource = inMemory ? bytesSource(input) : input
  const size = source.size
  // A plain Uint8Array view: a Node Buffer's subarray builds a Buffer object, which is several times slower.
  let b: Uint8Array = inMemory
    ? new Uint8Array(input.buffer, input.byteOffset, input.length)
    : new Uint8Array(Math.min(options.windowBytes ?? WINDOW_BYTES, Math.max(size, 1)))
  /** File offset of b[0]. */
  let base = 0
  /** Valid bytes in b. */
  let len = inMemory ? input.length : 0
  const who = options.fileName ? `${options.fileName}: ` : ''
  const fail = (message: string): never => {
    throw new ProfileFormatError(`${who}CPU profile: ${message}`)
  }
  /**
   * Reads more of the source, keeping b[keepFrom..len) (moved to the front: indexes shift by the returned
   * amount). Returns the shift, or -1 when nothing more could be read.
   */
  const refill = (keepFrom: number): number => {
    if (base + len >= size) return -1
    let shift = keepFrom
    if (keepFrom > 0) {
      b.copyWithin(0, keepFrom, len)
      base += keepFrom
      len -= keepFrom
    } else if (len === b.length) {
      const bigger = new Uint8Array(b.length * 2)
      bigger.set(b)
      b = bigger
      shift = 0
    }
    const n = source.read(b, len, b.length - len, base + len)
    if (n <= 0) fail(`could not read past byte ${base + len} of ${size} (the file changed or shrank while it was read)`)
    len += n
    return shift
  }
  const offset = (p: number): number => base + p
  const at = (p: number): string => (offset(p) >= size ? `the end of the file (byte ${size}; the file is truncated)` : `byte ${offset(p)}`)
  const unexpected = (p: number, what: string): never => {
    if (p >= len) return fail(`the file ends at byte ${size} while ${what} was expected; the file is truncated`)
    const c = b[p] as number
    const shown = c >= 32 && c < 127 ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`
    return fail(`unexpected ${shown} at byte ${offset(p)}, where ${what} was expected`)
  }
  const decoder = new TextDecoder('utf-8')
  const progress = options.onProgress
  // Every 8 MB, or every 5% of a smaller file.
  const progressStep = Math.max(1 << 16, Math.min(PROGRESS_BYTES, Math.floor(size / 20)))
  let nextProgress = progressStep

  let pos = 0
  /** Makes at least `n` bytes available at pos (fewer only at the end of the file). */
  const ensure = (n: number): void => {
    while (len - pos < n) {
      const shift = refill(pos)
      if (shift < 0) return
      pos -= shift
    }
  }
  const skipWs = (): void => {
    for (;;) {
      if (pos >= len) {
        const shift = refill(pos)
        if (shift < 0) return
        pos -= shift
      }
      const c = b[pos] as number
      if (c === 32 || c === 10 || c === 13 || c === 9) pos++
      else return
    }
  }
  const expect = (c: number, what: string): void => {
    skipWs()
    if (b[pos] !== c || pos >= len) unexpected(pos, what)
    pos++
  }
  /** Moves pos past the string whose opening quote is at pos; returns the string's start index (after any refill). */
  const skipString = (): number => {
    let start = pos
    let q = pos + 1
    for (;;) {
      if (q >= len) {
        const shift = refill(start)
        if (shift < 0) unexpected(len, 'the end of a string')
        start -= shift
        q -= shift
        continue
      }
      const c = b[q] as number
      if (c === QUOTE) break
      q += c === BACKSLASH ? 2 : 1
    }
    pos = q + 1
    return start
  }
  const readKey = (): string => {
    skipWs()
    if (b[pos] !== QUOTE || pos >= len) unexpected(pos, 'a key in quotes')
    const start = skipString()
    return decoder.decode(b.subarray(start + 1, pos - 1))
  }
  /** Skips one JSON value of any kind (checked only for balance; the value is unused). */
  const skipValue = (): void => {
    skipWs()
    if (pos >= len) unexpected(pos, 'a value')
    const c = b[pos]
    if (c === QUOTE) {
      skipString()
      return
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      let depth = 0
      for (;;) {
        if (pos >= len) {
          const shift = refill(pos)
          if (shift < 0) unexpected(len, 'the end of a value')
          pos -= shift
        }
        const d = b[pos] as number
        if (d === QUOTE) {
          skipString()
          continue
        }
        if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++
        else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
          depth--
          if (depth === 0) {
            pos++
            return
          }
        }
        pos++
      }
    }
    ensure(64)
    const start = pos
    while (pos < len) {
      const d = b[pos] as number
      if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || d === 32 || d === 10 || d === 13 || d === 9) break
      pos++
    }
    if (pos === start) unexpected(pos, 'a value')
  }
  /** A number at pos (any JSON number); NaN when there is none (pos unchanged). The caller ensures 64 bytes. */
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
      if (Number.isNaN(v)) fail(`${JSON.stringify(text)} at byte ${offset(start)} is not a number`)
      return v
    }
    pos = p
    return negative ? -value : value
  }
  const reportProgress = (): void => {
    if (progress && offset(pos) >= nextProgress) {
      progress(offset(pos), size)
      nextProgress = offset(pos) + progressStep
    }
  }
  /** A JSON array of numbers into a typed array; `what` names the array for messages. */
  const readNumberArray = <T extends Int32Array | Float64Array>(
    initial: T,
    what: string,
    integers: boolean,
  ): { values: T; length: number } => {
    skipWs()
    ensure(64)
    if (b[pos] === 110 /* null */) fail(`\`${what}\` is null at byte ${offset(pos)}, not an array`)
    if (b[pos] !== OPEN_BRACKET || pos >= len) fail(`\`${what}\` must be an array of ${integers ? 'node ids' : 'numbers'} (${at(pos)})`)
    pos++
    let values = initial
    let n = 0
    skipWs()
    if (b[pos] === CLOSE_BRACKET && pos < len) {
      pos++
      return { values, length: 0 }
    }
    for (;;) {
      // The common spelling (plain numbers and commas) by the scanner, a piece at a time; then the general
      // path below for one element (whitespace, fractions, the window's end, the closing bracket).
      if (len - pos > 64) {
        // A value takes at least two bytes: a piece holds at most half its length in values.
        const piece = Math.min(len - pos, SCAN_PIECE_BYTES)
        if (values.length - n < piece >> 1) values = grownTo(values, n + (piece >> 1))
        scan.load(b, pos, piece)
        const q = scan.scanInts(piece, piece - 64)
        if (q > 0) {
          values.set(scan.ints(), n)
          n += scan.count()
          pos += q
          reportProgress()
        }
      }
      if (len - pos < 64) ensure(64)
      let c = b[pos] as number
      if (c === 32 || c === 10 || c === 13 || c === 9) {
        skipWs()
        ensure(64)
        c = b[pos] as number
      }
      const start = pos
      const v = readNumber()
      if (Number.isNaN(v)) {
        if (pos >= len) unexpected(pos, `${what}[${n}]`)
        if (c === 110 || c === QUOTE || c === 116 || c === 102 || c === OPEN_BRACE || c === OPEN_BRACKET) {
          const vStart = offset(pos)
          const shown = decoder.decode(b.subarray(pos, Math.min(len, pos + 40))).split(/[,\]]/)[0]
          fail(
            integers
              ? `sample ${n} is ${shown}, not a node id (byte ${vStart})`
              : `timeDeltas[${n}] is ${shown}, not a number (byte ${vStart})`,
          )
        }
        unexpected(pos, `${what}[${n}]`)
      }
      if (integers && (!Number.isInteger(v) || v > 2147483647 || v < -2147483648))
        fail(`sample ${n} is ${v}, not a node id (byte ${offset(start)})`)
      if (n === values.length) values = grownTo(values, n + 1)
      values[n++] = v
      if ((n & 0x3ffff) === 0) reportProgress()
      // The common separator without whitespace, checked before the general path.
      const d = b[pos]
      if (d === COMMA && pos < len) {
        pos++
        continue
      }
      skipWs()
      const e = pos < len ? b[pos] : -1
      if (e === COMMA) pos++
      else if (e === CLOSE_BRACKET) {
        pos++
        break
      } else unexpected(pos, `',' or ']' after ${what}[${n - 1}]`)
    }
    reportProgress()
    // The array grew by doubling; a tight copy lets the slack go before the call tree is built, which is
    // when a large import peaks (18.7 M samples: ~180 MB of slack).
    if (values.length - n > n >> 3) values = values.slice(0, n) as T
    return { values, length: n }
  }

  // Columns grow as nodes arrive.
  let cap = 1024
  const cols: Columns = {
    nodeCount: 0,
    ids: new Int32Array(cap),
    funcOf: new Int32Array(cap),
    hitCount: new Int32Array(cap),
    childIds: new Int32Array(cap),
    childCount: 0,
    childStart: new Int32Array(cap + 1),
    parentIds: new Int32Array(cap).fill(NO_PARENT),
    usesChildren: false,
    usesParent: false,
  }
  const interner = createFunctionInterner()
  const categorize = createFrameCategorizer()
  const lineTicks = createLineTickCollector()
  const ensureNodes = (need: number): void => {
    if (need <= cap) return
    let next = cap * 2
    while (next < need) next *= 2
    cols.ids = grownTo(cols.ids, next)
    cols.funcOf = grownTo(cols.funcOf, next)
    cols.hitCount = grownTo(cols.hitCount, next)
    cols.childStart = resized(cols.childStart, next + 1)
    const pi = new Int32Array(next).fill(NO_PARENT)
    pi.set(cols.parentIds)
    cols.parentIds = pi
    cap = next
  }

  /** One parsed node object into the columns, with the object importer's checks and messages. */
  const addNode = (node: unknown): void => {
    const i = cols.nodeCount
    const { id, node: n } = checkCpuProfileNode(node, i, fail)
    const children = n.children
    if (id > 2147483647 || id < -2147483647) fail(`node #${i} has id ${id}, outside the ids this importer reads`)
    ensureNodes(i + 1)
    cols.ids[i] = id
    const callFrame: CpuProfileCallFrame = n.callFrame
    cols.funcOf[i] = interner.intern(frameIdentity(callFrame), categorize(callFrame.functionName, callFrame.url, callFrame.codeType))
    cols.hitCount[i] = n.hitCount ?? 0
    lineTicks.add(cols.funcOf[i] as number, n.positionTicks, i)
    cols.childStart[i] = cols.childCount
    if (children !== undefined) {
      cols.usesChildren = true
      const list = children
      cols.childIds = grownTo(cols.childIds, cols.childCount + list.length)
      for (let k = 0; k < list.length; k++) cols.childIds[cols.childCount++] = list[k] as number
    }
    cols.childStart[i + 1] = cols.childCount
    if (n.parent !== undefined) {
      cols.usesParent = true
      cols.parentIds[i] = n.parent
    }
    cols.nodeCount = i + 1
  }

  // Call frames seen so far, by their bytes, in the scanner's table (wasm/cpuprofile-scan.ts): a node
  // whose callFrame bytes match one seen before reuses its function without decoding a string (V8 repeats a
  // function's callFrame on every call path). Here: the function of each frame, -1 for a frame that fails
  // the checks (its node then goes the slow way, which reports the problem).
  const scan = createCpuProfileScanner()
  let frameFunc = new Int32Array(1024)
  let resolvedFrames = 0
  /** The function of a decoded callFrame, interned; -1 when it fails a check. */
  const frameFunction = (cf: unknown): number => {
    if (typeof cf !== 'object' || cf === null) return -1
    const frame = cf as Record<string, unknown>
    if (typeof frame.functionName !== 'string' || typeof frame.url !== 'string') return -1
    if (!Number.isInteger(frame.lineNumber) || !Number.isInteger(frame.columnNumber)) return -1
    const callFrame = frame as unknown as CpuProfileCallFrame
    return interner.intern(frameIdentity(callFrame), categorize(callFrame.functionName, callFrame.url, callFrame.codeType))
  }
  /** Decodes the frames the scanner added since the last call: one JSON.parse for the run, or each alone when the run does not parse. */
  const resolveFrames = (): void => {
    const from = resolvedFrames
    const to = scan.frameCount()
    if (to === from) return
    if (to > frameFunc.length) frameFunc = grownTo(frameFunc, to)
    let run: unknown
    try {
      run = JSON.parse(`[${decoder.decode(scan.frameRun(from, to))}]`)
    } catch {
      run = null
    }
    const list = Array.isArray(run) && run.length === to - from ? (run as unknown[]) : null
    for (let k = from; k < to; k++) {
      let cf: unknown
      if (list) cf = list[k - from]
      else {
        try {
          cf = JSON.parse(decoder.decode(scan.frameBytes(k)))
        } catch {
          cf = null
        }
      }
      frameFunc[k] = frameFunction(cf)
    }
    resolvedFrames = to
  }
  /** The frame of the callFrame object at b[from, to) (checked to be balanced), or -1 when it fails a check or is too long for the table. */
  const frameAt = (buf: Uint8Array, from: number, to: number): number => {
    if (to - from > SCAN_PIECE_BYTES) return -1
    scan.load(buf, from, to - from)
    const k = scan.frameOf(to - from)
    if (k >= resolvedFrames) resolveFrames()
    return (frameFunc[k] as number) < 0 ? -1 : k
  }

  /**
   * A node read from the bytes (by fastNode or plainNodes) into the columns: its children are already in
   * childIds from childMark, its positionTicks in tickLine/tickValue. It becomes node cols.nodeCount.
   */
  const addReadNode = (id: number, frame: number, hits: number, tickCount: number, childMark: number, sawChildren: boolean): void => {
    const i = cols.nodeCount
    ensureNodes(i + 1)
    cols.ids[i] = id
    const func = frameFunc[frame] as number
    cols.funcOf[i] = func
    cols.hitCount[i] = hits
    for (let t = 0; t < tickCount; t++) lineTicks.addEntry(func, i, tickLine[t] as number, tickValue[t] as number)
    cols.childStart[i] = childMark
    if (sawChildren) cols.usesChildren = true
    cols.childStart[i + 1] = cols.childCount
    cols.nodeCount = i + 1
  }

  /**
   * One node object at pos in the fast path: V8's fields read straight into the columns, callFrames by
   * their cached bytes, positionTicks by a number scanner. Returns the object's end, NEED_MORE when it runs
   * past the window, or SLOW when it is anything but plain (then the object importer's checks on the parsed
   * object report the problem). Nothing is written to the columns unless the node is read whole.
   * The byte loops are module functions taking the window as a parameter (see byteHelpers below).
   */
  const fastNode = (): number => {
    const buf = b
    const end = len
    const i = cols.nodeCount
    let q = pos + 1
    let id = 0
    let haveId = false
    let frame = -1
    let hits = 0
    let parentId = NO_PARENT
    let tickCount = 0
    let sawChildren = false
    const childMark = cols.childCount
    q = wsAt(buf, q, end)
    if (q >= end) return NEED_MORE
    if (buf[q] === CLOSE_BRACE) return SLOW
    for (;;) {
      if (buf[q] !== QUOTE) return SLOW
      const ke = strEndAt(buf, q, end)
      if (ke < 0) return NEED_MORE
      const k0 = q + 1
      const key = keyOf(buf, k0, ke - 1 - k0)
      q = wsAt(buf, ke, end)
      if (q >= end) return NEED_MORE
      if (buf[q] !== COLON) return SLOW
      q = wsAt(buf, q + 1, end)
      if (q >= end) return NEED_MORE
      const first = buf[q] as number
      if (key === KEY_ID || key === KEY_HIT_COUNT || key === KEY_PARENT) {
        q = intAt(buf, q, end)
        if (q < 0) return q
        if (key === KEY_ID) {
          id = scratchInt
          haveId = true
        } else if (key === KEY_HIT_COUNT) {
          if (scratchInt < 0) return SLOW
          hits = scratchInt
        } else parentId = scratchInt
      } else if (key === KEY_CALL_FRAME) {
        if (first !== OPEN_BRACE) return SLOW
        const e = nestedEndAt(buf, q, end)
        if (e < 0) return NEED_MORE
        frame = frameAt(buf, q, e)
        if (frame < 0) return SLOW
        q = e
      } else if (key === KEY_CHILDREN) {
        if (first !== OPEN_BRACKET) return SLOW
        if (sawChildren) cols.childCount = childMark
        sawChildren = true
        q = wsAt(buf, q + 1, end)
        if (q >= end) return NEED_MORE
        if (buf[q] === CLOSE_BRACKET) q++
        else {
          for (;;) {
            q = intAt(buf, q, end)
            if (q < 0) {
              cols.childCount = childMark
              return q
            }
            if (cols.childCount === cols.childIds.length) cols.childIds = grownTo(cols.childIds, cols.childCount + 1)
            cols.childIds[cols.childCount++] = scratchInt
            q = wsAt(buf, q, end)
            if (q >= end) {
              cols.childCount = childMark
              return NEED_MORE
            }
            const c = buf[q]
            if (c === COMMA) q = wsAt(buf, q + 1, end)
            else if (c === CLOSE_BRACKET) {
              q++
              break
            } else {
              cols.childCount = childMark
              return SLOW
            }
          }
        }
      } else if (key === KEY_POSITION_TICKS) {
        // A node that repeats the key keeps the last one, as JSON.parse does in the object importer.
        if (first !== OPEN_BRACKET) return SLOW
        const e = positionTicksAt(buf, q, end)
        if (e < 0) {
          cols.childCount = childMark
          return e
        }
        tickCount = scratchTickCount
        q = e
      } else {
        // deoptReason and anything else: skipped.
        let e: number
        if (first === QUOTE) e = strEndAt(buf, q, end)
        else if (first === OPEN_BRACE || first === OPEN_BRACKET) e = nestedEndAt(buf, q, end)
        else {
          e = q
          while (e < end) {
            const c = buf[e] as number
            if (c === COMMA || c === CLOSE_BRACE || c === 32 || c === 10 || c === 13 || c === 9) break
            e++
          }
          if (e >= end) e = NEED_MORE
        }
        if (e < 0) {
          cols.childCount = childMark
          return NEED_MORE
        }
        q = e
      }
      q = wsAt(buf, q, end)
      if (q >= end) {
        cols.childCount = childMark
        return NEED_MORE
      }
      const c = buf[q]
      if (c === COMMA) {
        q = wsAt(buf, q + 1, end)
        if (q >= end) {
          cols.childCount = childMark
          return NEED_MORE
        }
        continue
      }
      if (c === CLOSE_BRACE) {
        q++
        break
      }
      cols.childCount = childMark
      return SLOW
    }
    if (!haveId || frame < 0 || id > 2147483647 || id < -2147483647) {
      cols.childCount = childMark
      return SLOW
    }
    addReadNode(id, frame, hits, tickCount, childMark, sawChildren)
    if (parentId !== NO_PARENT) {
      cols.usesParent = true
      cols.parentIds[i] = parentId
    }
    return q
  }

  /**
   * Nodes spelled exactly as V8 writes them, read many at a time from pos by the scanner
   * (wasm/cpuprofile-scan.ts: `{"id":1,"callFrame":{…},"hitCount":0,"children":[2,3],"positionTicks":[…]}`,
   * no whitespace, these keys in this order, `children` and `positionTicks` optional, plain digits) from a
   * piece of up to SCAN_PIECE_BYTES of the window; the values are the ones fastNode reads from the same
   * bytes. Stops before the first node spelled otherwise, that does not end in the piece, or whose callFrame
   * fails the checks; returns the end of the last node it read (before the separator), or -1 when it read
   * none. A new callFrame it met stays in the table, as fastNode leaves it.
   */
  const plainNodes = (): number => {
    const n = Math.min(len - pos, SCAN_PIECE_BYTES)
    if (n < 36) return -1
    scan.load(b, pos, n)
    let k = scan.plainNodes(n)
    if (k === 0) return -1
    resolveFrames()
    const i0 = cols.nodeCount
    ensureNodes(i0 + k)
    const frames = scan.nodeFrame()
    const funcOf = cols.funcOf
    for (let j = 0; j < k; j++) {
      const func = frameFunc[frames[j] as number] as number
      if (func < 0) {
        k = j
        break
      }
      funcOf[i0 + j] = func
    }
    if (k === 0) return -1
    const childEnd = scan.nodeChildEnd()
    const tickEnd = scan.nodeTickEnd()
    const children = childEnd[k - 1] as number
    cols.ids.set(scan.nodeId().subarray(0, k), i0)
    cols.hitCount.set(scan.nodeHits().subarray(0, k), i0)
    const childBase = cols.childCount
    if (children > 0) {
      if (cols.childIds.length < childBase + children) cols.childIds = grownTo(cols.childIds, childBase + children)
      cols.childIds.set(scan.childIds().subarray(0, children), childBase)
      cols.childCount = childBase + children
    }
    const childStart = cols.childStart
    childStart[i0] = childBase
    for (let j = 0; j < k; j++) childStart[i0 + j + 1] = childBase + (childEnd[j] as number)
    const withChildren = scan.firstWithChildren()
    if (withChildren >= 0 && withChildren < k) cols.usesChildren = true
    if ((tickEnd[k - 1] as number) > 0) {
      const line = scan.tickLine()
      const value = scan.tickValue()
      let t = 0
      for (let j = 0; j < k; j++) {
        const e = tickEnd[j] as number
        if (t === e) continue
        const func = funcOf[i0 + j] as number
        for (; t < e; t++) lineTicks.addEntry(func, i0 + j, line[t] as number, value[t] as number)
      }
    }
    cols.nodeCount = i0 + k
    return pos + (scan.nodeEnd()[k - 1] as number)
  }

  /** One node at pos by fastNode (refilling the window as it asks), or parsed whole when it is not plain; returns its end. */
  const readNode = (): number => {
    const childMark = cols.childCount
    let end = fastNode()
    while (end === NEED_MORE) {
      cols.childCount = childMark
      const shift = refill(pos)
      if (shift < 0) {
        end = SLOW
        break
      }
      pos -= shift
      end = fastNode()
    }
    if (end === SLOW) {
      cols.childCount = childMark
      // The whole object, parsed, through the object importer's checks (which name the problem).
      let e = nestedEndAt(b, pos, len)
      while (e === NEED_MORE) {
        const shift = refill(pos)
        if (shift < 0) unexpected(len, 'the end of a node object')
        pos -= shift
        e = nestedEndAt(b, pos, len)
      }
      let v: unknown
      try {
        v = JSON.parse(decoder.decode(b.subarray(pos, e)))
      } catch (err) {
        fail(`node #${cols.nodeCount} at byte ${offset(pos)} is not valid JSON (${(err as Error).message})`)
      }
      addNode(v)
      end = e
    }
    return end
  }

  const readNodes = (): void => {
    skipWs()
    if (b[pos] !== OPEN_BRACKET || pos >= len) fail(`no \`nodes\` array (is this a .cpuprofile file?) (${at(pos)})`)
    pos++
    skipWs()
    if (b[pos] === CLOSE_BRACKET && pos < len) {
      pos++
      return
    }
    for (;;) {
      skipWs()
      if (pos >= len) unexpected(pos, 'a node object')
      const first = b[pos] as number
      if (first !== OPEN_BRACE) {
        const kind =
          first === 110
            ? 'null'
            : first === QUOTE
              ? 'string'
              : first === OPEN_BRACKET
                ? 'an array'
                : first === 116 || first === 102
                  ? 'boolean'
                  : first === MINUS || (first >= ZERO && first <= NINE)
                    ? 'number'
                    : ''
        if (kind === '') unexpected(pos, 'a node object')
        fail(`node #${cols.nodeCount} is ${kind}, not an object (byte ${offset(pos)})`)
      }
      const plainEnd = plainNodes()
      if (plainEnd >= 0) {
        pos = plainEnd
        reportProgress()
      } else pos = readNode()
      skipWs()
      if (pos >= len) unexpected(pos, "',' or ']' after a node")
      const sep = b[pos]
      pos++
      if (sep === CLOSE_BRACKET) break
      if (sep !== COMMA) unexpected(pos - 1, "',' or ']' between nodes")
      if ((cols.nodeCount & 0x3fff) === 0) reportProgress()
    }
    reportProgress()
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
    fail(
      `expected a JSON object, got ${c === OPEN_BRACKET ? 'an array' : c === QUOTE ? 'a string' : `'${String.fromCharCode(c)}'`} at byte ${offset(pos)}`,
    )
  }
  pos++
  skipWs()
  if (b[pos] === CLOSE_BRACE) pos++
  else {
    for (;;) {
      const keyAt = offset(pos)
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
        ensure(64)
        const vAt = pos
        const v = readNumber()
        if (Number.isNaN(v)) {
          fail(
            `\`${key}\` must be a number (microseconds), got ${decoder.decode(b.subarray(vAt, Math.min(len, vAt + 40))).split(/[,}]/)[0]} at byte ${offset(vAt)}`,
          )
        }
        if (key === 'startTime') startTime = v
        else endTime = v
      } else skipValue()
      skipWs()
      const c = pos < len ? b[pos] : -1
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
  progress?.(size, size)

  // The object importer's checks, in its order.
  if (!sawNodes) fail('no `nodes` array (is this a .cpuprofile file?)')
  const nodeCount = cols.nodeCount
  if (nodeCount === 0) fail('the `nodes` array is empty')
  if (startTime === undefined) fail('`startTime` must be a number (microseconds), got undefined')
  if (endTime === undefined) fail('`endTime` must be a number (microseconds), got undefined')
  if ((endTime as number) < (startTime as number)) fail(`endTime (${String(endTime)}) is before startTime (${String(startTime)})`)

  // The passes from here: module functions with one loop each, and the tree's passes in WebAssembly (see
  // finishCallTree for why).
  const ids = cols.ids
  const indexOf = idIndex(ids, nodeCount, fail)
  const parent = cols.usesChildren
    ? parentsFromChildren(cols, ids, indexOf, fail)
    : cols.usesParent
      ? parentsFromIds(cols, ids, indexOf, fail)
      : new Int32Array(nodeCount).fill(-1)
  let tree: ReturnType<typeof rootAndOrder>
  try {
    tree = rootAndOrder(parent, (i) => ids[i] as number)
  } catch (err) {
    // The shared check words its own message ("CPU profile: no root node …"): name the file as fail() does.
    if (err instanceof ProfileFormatError && who !== '' && !err.message.startsWith(who))
      throw new ProfileFormatError(`${who}${err.message}`)
    throw err
  }
  const { root, order } = tree

  const n = samples?.length ?? 0
  const sampleNode = samples ? samplesToNodes(samples.values, n, indexOf, fail) : new Int32Array(0)
  let timeDeltas: Float64Array | undefined
  if (deltas) {
    if (deltas.length !== n) fail(`${n} samples but ${deltas.length} timeDeltas; they must have the same length (is the file truncated?)`)
    timeDeltas = deltas.values.subarray(0, deltas.length)
  }
  // Nothing below can fail: placing nodes and attributing samples only compute.
  if (!build) return null

  const funcOf = cols.funcOf
  const { builder, treeNode, topLevel } = placeRawNodes(funcOf, parent, root, order)
  // A node's function name is its function's (the interner keeps the first callFrame's name of a function;
  // frames of one function differ in name only as '' and '(anonymous)', which the checks of it do not ask).
  const functionNames = interner.identities.name
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
      functionNameOf: (i) => functionNames[funcOf[i] as number] as string,
      hitCountOf: (i) => hits[i] as number,
      lineTicks,
      sampleNode,
      timeDeltas,
      startTime: startTime as number,
      endTime: endTime as number,
    },
    options,
  )
}

/*
 * byteHelpers: the fast path's byte loops, as module functions taking the window (`b`, valid to `len`) as
 * parameters. Inside importCpuProfileBytes the window is a captured `let` (a refill replaces it), and a
 * loop reading a captured variable reloads it from the closure's context on every byte; as parameters the
 * loops keep it in a register, and small functions are optimized sooner in a short import.
 */

const NEED_MORE = -1
const SLOW = -2

/** Skips whitespace from q; returns the new index (len when the window ends). */
function wsAt(b: Uint8Array, q: number, len: number): number {
  while (q < len) {
    const c = b[q] as number
    if (c === 32 || c === 10 || c === 13 || c === 9) q++
    else break
  }
  return q
}

/** End (exclusive) of the string opening at q, or NEED_MORE. */
function strEndAt(b: Uint8Array, q: number, len: number): number {
  q++
  while (q < len) {
    const c = b[q] as number
    if (c === QUOTE) return q + 1
    q += c === BACKSLASH ? 2 : 1
  }
  return NEED_MORE
}

/** End of the object or array opening at q (strings and nesting tracked), or NEED_MORE. */
function nestedEndAt(b: Uint8Array, q: number, len: number): number {
  let depth = 0
  while (q < len) {
    const c = b[q] as number
    if (c === QUOTE) {
      q = strEndAt(b, q, len)
      if (q < 0) return NEED_MORE
      continue
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--
      if (depth === 0) return q + 1
    }
    q++
  }
  return NEED_MORE
}

/** The integer intAt read last. */
let scratchInt = 0

/** A plain integer (at most 9 digits) at q into scratchInt; returns its end, SLOW when it is not one, NEED_MORE at the window end. */
function intAt(b: Uint8Array, q: number, len: number): number {
  let negative = false
  if (b[q] === MINUS) {
    negative = true
    q++
  }
  let v = 0
  let digits = 0
  while (q < len) {
    const c = b[q] as number
    if (c < ZERO || c > NINE) break
    v = v * 10 + (c - ZERO)
    digits++
    q++
  }
  if (q >= len) return NEED_MORE
  if (digits === 0 || digits > 9) return SLOW
  const c = b[q]
  if (c === 46 || c === 101 || c === 69) return SLOW
  scratchInt = negative ? -v : v
  return q
}

const KEY_OTHER = 0
const KEY_ID = 1
const KEY_CALL_FRAME = 2
const KEY_HIT_COUNT = 3
const KEY_CHILDREN = 4
const KEY_PARENT = 5
const KEY_POSITION_TICKS = 6
const KEY_LINE = 7
const KEY_TICKS = 8

const keyBytes = (key: string): Uint8Array => Uint8Array.from(key, (c) => c.charCodeAt(0))
const CALL_FRAME_BYTES = keyBytes('callFrame')
const HIT_COUNT_BYTES = keyBytes('hitCount')
const CHILDREN_BYTES = keyBytes('children')
const PARENT_BYTES = keyBytes('parent')
const POSITION_TICKS_BYTES = keyBytes('positionTicks')
const LINE_BYTES = keyBytes('line')
const TICKS_BYTES = keyBytes('ticks')

function bytesAre(b: Uint8Array, q: number, key: Uint8Array): boolean {
  for (let i = 0; i < key.length; i++) if (b[q + i] !== key[i]) return false
  return true
}

/** Which field of a node (or of a positionTicks entry) the n key bytes at q name: by length, then bytes. */
function keyOf(b: Uint8Array, q: number, n: number): number {
  switch (n) {
    case 2:
      return b[q] === 105 && b[q + 1] === 100 ? KEY_ID : KEY_OTHER
    case 4:
      return bytesAre(b, q, LINE_BYTES) ? KEY_LINE : KEY_OTHER
    case 5:
      return bytesAre(b, q, TICKS_BYTES) ? KEY_TICKS : KEY_OTHER
    case 6:
      return bytesAre(b, q, PARENT_BYTES) ? KEY_PARENT : KEY_OTHER
    case 8:
      return bytesAre(b, q, HIT_COUNT_BYTES) ? KEY_HIT_COUNT : bytesAre(b, q, CHILDREN_BYTES) ? KEY_CHILDREN : KEY_OTHER
    case 9:
      return bytesAre(b, q, CALL_FRAME_BYTES) ? KEY_CALL_FRAME : KEY_OTHER
    case 13:
      return bytesAre(b, q, POSITION_TICKS_BYTES) ? KEY_POSITION_TICKS : KEY_OTHER
    default:
      return KEY_OTHER
  }
}

/** The entries positionTicksAt read last: scratchTickCount of them in tickLine/tickValue. */
let tickLine = new Int32Array(64)
let tickValue = new Int32Array(64)
let scratchTickCount = 0

function growTicks(): void {
  tickLine = resized(tickLine, tickLine.length * 2)
  tickValue = resized(tickValue, tickValue.length * 2)
}

/**
 * A positionTicks array at q (`[{"line":L,"ticks":T},…]`, keys in either order) into tickLine/tickValue:
 * returns its end, NEED_MORE at the window end, or SLOW for anything else (other keys, numbers that are not
 * plain integers), which the object importer's path then reads. Entries with a line below 1 or negative
 * ticks are skipped, as the collector skips them.
 */
function positionTicksAt(b: Uint8Array, q: number, len: number): number {
  let count = 0
  q = wsAt(b, q + 1, len)
  if (q >= len) return NEED_MORE
  if (b[q] === CLOSE_BRACKET) {
    scratchTickCount = 0
    return q + 1
  }
  for (;;) {
    if (b[q] !== OPEN_BRACE) return SLOW
    let line = 0
    let ticks = 0
    let seen = 0
    q = wsAt(b, q + 1, len)
    for (;;) {
      if (q >= len) return NEED_MORE
      if (b[q] !== QUOTE) return SLOW
      const ke = strEndAt(b, q, len)
      if (ke < 0) return NEED_MORE
      const key = keyOf(b, q + 1, ke - q - 2)
      if (key !== KEY_LINE && key !== KEY_TICKS) return SLOW
      q = wsAt(b, ke, len)
      if (q >= len) return NEED_MORE
      if (b[q] !== COLON) return SLOW
      q = wsAt(b, q + 1, len)
      if (q >= len) return NEED_MORE
      q = intAt(b, q, len)
      if (q < 0) return q
      const bit = key === KEY_LINE ? 1 : 2
      // A repeated key is left to JSON.parse's last-one-wins.
      if ((seen & bit) !== 0) return SLOW
      seen |= bit
      if (key === KEY_LINE) line = scratchInt
      else ticks = scratchInt
      q = wsAt(b, q, len)
      if (q >= len) return NEED_MORE
      const c = b[q]
      if (c === CLOSE_BRACE) {
        q++
        break
      }
      if (c !== COMMA) return SLOW
      q = wsAt(b, q + 1, len)
    }
    // An entry without both fields is the collector's to skip, on the object path.
    if (seen !== 3) return SLOW
    if (line >= 1 && ticks >= 0) {
      if (count === tickLine.length) growTicks()
      tickLine[count] = line
      tickValue[count] = ticks
      count++
    }
    q = wsAt(b, q, len)
    if (q >= len) return NEED_MORE
    const c = b[q]
    if (c === CLOSE_BRACKET) {
      scratchTickCount = count
      return q + 1
    }
    if (c !== COMMA) return SLOW
    q = wsAt(b, q + 1, len)
    if (q >= len) return NEED_MORE
  }
}

type Fail = (message: string) => never

/** Node ids to raw indexes: a dense table when ids are small (V8 numbers them 1..n), else a Map. */
function idIndex(ids: Int32Array, nodeCount: number, fail: Fail): (id: number) => number {
  let maxId = 0
  let minId = 0
  for (let i = 0; i < nodeCount; i++) {
    const id = ids[i] as number
    if (id > maxId) maxId = id
    if (id < minId) minId = id
  }
  if (minId >= 0 && maxId < nodeCount * 4 + 1024) {
    const table = new Int32Array(maxId + 1).fill(-1)
    for (let i = 0; i < nodeCount; i++) {
      const id = ids[i] as number
      if ((table[id] as number) >= 0) fail(`node id ${id} appears twice (nodes #${table[id]} and #${i})`)
      table[id] = i
    }
    return (id) => (id >= 0 && id <= maxId ? (table[id] as number) : -1)
  }
  const map = new Map<number, number>()
  for (let i = 0; i < nodeCount; i++) {
    const id = ids[i] as number
    const known = map.get(id)
    if (known !== undefined) fail(`node id ${id} appears twice (nodes #${known} and #${i})`)
    map.set(id, i)
  }
  return (id) => map.get(id) ?? -1
}

/** Parents from the nodes' `children` lists (V8's layout). */
function parentsFromChildren(cols: Columns, ids: Int32Array, indexOf: (id: number) => number, fail: Fail): Int32Array {
  const nodeCount = cols.nodeCount
  const parent = new Int32Array(nodeCount).fill(-1)
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
  return parent
}

/** Parents from the nodes' `parent` ids (the layout of profiles in traces). */
function parentsFromIds(cols: Columns, ids: Int32Array, indexOf: (id: number) => number, fail: Fail): Int32Array {
  const nodeCount = cols.nodeCount
  const parent = new Int32Array(nodeCount).fill(-1)
  for (let i = 0; i < nodeCount; i++) {
    const pid = cols.parentIds[i] as number
    if (pid === NO_PARENT) continue
    const pi = indexOf(pid)
    if (pi < 0) fail(`node id ${ids[i]} has parent id ${pid}, which is not in \`nodes\``)
    parent[i] = pi
  }
  return parent
}

/** The raw node index of every sample. */
function samplesToNodes(values: Int32Array, n: number, indexOf: (id: number) => number, fail: Fail): Int32Array {
  const sampleNode = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const k = indexOf(values[i] as number)
    if (k < 0) fail(`sample ${i} refers to node id ${values[i]}, which is not in \`nodes\``)
    sampleNode[i] = k
  }
  return sampleNode
}
