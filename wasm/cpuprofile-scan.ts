// AssemblyScript source of core/import/cpuprofile-scan-wasm.ts (built by scripts/build-wasm.mjs; a unit
// test checks that the committed module is this file's build). The byte importer of `.cpuprofile` files
// (core/import/cpuprofile-stream.ts) hands its window to these loops, piece by piece.
//
// Why WebAssembly: at 10 MB a fresh Node process runs the importer's JavaScript mostly unoptimized, waiting
// for V8's optimizing compiler (its compilations of one import add up to about the import's wall time, on
// one compiler thread). WebAssembly is compiled before it runs (Liftoff, in well under a millisecond for
// this module), so these loops run at compiled speed from their first byte.
//
// Memory, managed here by a bump allocator (nothing is freed: an instance lives for one import):
//   ctrl      the control block below (i32 fields; the JavaScript side reads them through CTRL_* offsets)
//   input     the bytes to scan (inputCap, followed by 16 zero bytes so word compares past the end fail)
//   per node  id, frame, hitCount, children end, ticks end, end offset (inputCap / 32 entries: a node is ≥ 36 bytes)
//   children  child ids (inputCap / 2: each takes ≥ 2 bytes), also the output of scanInts
//   ticks     line, ticks (inputCap / 16 each: an entry takes ≥ 20 bytes)
//   frames    per distinct callFrame: arena offset, byte length, hash, next in its hash chain
//   arena     the bytes of each distinct callFrame followed by ',' (so a run of new frames, in brackets,
//             is one JSON array)
//   slots     the hash table's chain heads

// The control block: word offsets (the JavaScript side keeps the same numbers).
const C_INPUT: i32 = 0
const C_INPUT_CAP: i32 = 1
const C_NODE_ID: i32 = 2
const C_NODE_FRAME: i32 = 3
const C_NODE_HITS: i32 = 4
const C_NODE_CHILD_END: i32 = 5
const C_NODE_TICK_END: i32 = 6
const C_CHILD_IDS: i32 = 7
const C_TICK_LINE: i32 = 8
const C_TICK_VALUE: i32 = 9
const C_NODES_OUT: i32 = 10
const C_CHILDREN_OUT: i32 = 11
const C_TICKS_OUT: i32 = 12
const C_SAW_CHILDREN: i32 = 13
const C_FRAME_COUNT: i32 = 14
const C_FRAMES: i32 = 15
const C_ARENA: i32 = 16
const C_INTS_OUT: i32 = 17
const C_NODE_END: i32 = 18
const CTRL_WORDS: i32 = 32

let top: usize = 0
let ctrl: usize = 0
let input: usize = 0
let inputCap: i32 = 0
let nodeId: usize = 0
let nodeFrame: usize = 0
let nodeHits: usize = 0
let nodeChildEnd: usize = 0
let nodeTickEnd: usize = 0
let nodeEnd: usize = 0
let childIds: usize = 0
let tickLine: usize = 0
let tickValue: usize = 0
let nodeCap: i32 = 0
let childCap: i32 = 0
let tickCap: i32 = 0

/** Frames: 4 words each (arena offset, length, hash, next). */
let frames: usize = 0
let frameCap: i32 = 0
let frameCount: i32 = 0
let arena: usize = 0
let arenaCap: i32 = 0
let arenaLength: i32 = 0
let slots: usize = 0
let slotBits: i32 = 0

function alloc(bytes: i32): usize {
  const p = (top + 15) & ~(<usize>15)
  top = p + <usize>bytes
  const have = <usize>memory.size() << 16
  if (top > have) {
    const pages = <i32>((top - have + 0xffff) >> 16)
    if (memory.grow(pages) < 0) unreachable()
  }
  return p
}

function setCtrl(field: i32, value: i32): void {
  store<i32>(ctrl + (<usize>field << 2), value)
}

/** Lays out memory for pieces of up to `cap` bytes; returns the control block's address. */
export function init(cap: i32): usize {
  top = __heap_base
  ctrl = alloc(CTRL_WORDS << 2)
  inputCap = cap
  input = alloc(cap + 16)
  nodeCap = (cap >> 5) + 1
  childCap = (cap >> 1) + 1
  tickCap = (cap >> 4) + 1
  nodeId = alloc(nodeCap << 2)
  nodeFrame = alloc(nodeCap << 2)
  nodeHits = alloc(nodeCap << 2)
  nodeChildEnd = alloc(nodeCap << 2)
  nodeTickEnd = alloc(nodeCap << 2)
  nodeEnd = alloc(nodeCap << 2)
  childIds = alloc(childCap << 2)
  tickLine = alloc(tickCap << 2)
  tickValue = alloc(tickCap << 2)
  frameCap = 1024
  frames = alloc(frameCap << 4)
  frameCount = 0
  arenaCap = 1 << 16
  arena = alloc(arenaCap)
  arenaLength = 0
  slotBits = 14
  slots = alloc(4 << slotBits)
  memory.fill(slots, 0xff, 4 << slotBits)
  setCtrl(C_INPUT, <i32>input)
  setCtrl(C_INPUT_CAP, cap)
  setCtrl(C_NODE_ID, <i32>nodeId)
  setCtrl(C_NODE_FRAME, <i32>nodeFrame)
  setCtrl(C_NODE_HITS, <i32>nodeHits)
  setCtrl(C_NODE_CHILD_END, <i32>nodeChildEnd)
  setCtrl(C_NODE_TICK_END, <i32>nodeTickEnd)
  setCtrl(C_NODE_END, <i32>nodeEnd)
  setCtrl(C_CHILD_IDS, <i32>childIds)
  setCtrl(C_TICK_LINE, <i32>tickLine)
  setCtrl(C_TICK_VALUE, <i32>tickValue)
  setCtrl(C_INTS_OUT, <i32>childIds)
  setCtrl(C_FRAMES, <i32>frames)
  setCtrl(C_ARENA, <i32>arena)
  setCtrl(C_FRAME_COUNT, 0)
  return ctrl
}

// ---- bytes

@inline function byteAt(p: usize): u32 {
  return <u32>load<u8>(p)
}

@inline function wordAt(p: usize): u32 {
  return load<u32>(p)
}

/** A little-endian word of four ASCII characters. */
@inline function w4(a: u32, b: u32, c: u32, d: u32): u32 {
  return a | (b << 8) | (c << 16) | (d << 24)
}

const QUOTE: u32 = 34
const BACKSLASH: u32 = 92
const COMMA: u32 = 44
const COLON: u32 = 58
const OPEN_BRACE: u32 = 123
const CLOSE_BRACE: u32 = 125
const OPEN_BRACKET: u32 = 91
const CLOSE_BRACKET: u32 = 93
const MINUS: u32 = 45

// {"id
const ID_0: u32 = w4(123, 34, 105, 100)
// ":
const QUOTE_COLON: u32 = 34 | (58 << 8)
// ,"callFrame"
const CALL_FRAME_0: u32 = w4(44, 34, 99, 97)
const CALL_FRAME_1: u32 = w4(108, 108, 70, 114)
const CALL_FRAME_2: u32 = w4(97, 109, 101, 34)
// ,"hitCount":
const HIT_COUNT_0: u32 = w4(44, 34, 104, 105)
const HIT_COUNT_1: u32 = w4(116, 67, 111, 117)
const HIT_COUNT_2: u32 = w4(110, 116, 34, 58)
// ,"children":
const CHILDREN_0: u32 = w4(44, 34, 99, 104)
const CHILDREN_1: u32 = w4(105, 108, 100, 114)
const CHILDREN_2: u32 = w4(101, 110, 34, 58)
// ,"positionTicks":[
const POSITION_TICKS_0: u32 = w4(44, 34, 112, 111)
const POSITION_TICKS_1: u32 = w4(115, 105, 116, 105)
const POSITION_TICKS_2: u32 = w4(111, 110, 84, 105)
const POSITION_TICKS_3: u32 = w4(99, 107, 115, 34)
const COLON_BRACKET: u32 = 58 | (91 << 8)
// {"line":
const LINE_0: u32 = w4(123, 34, 108, 105)
const LINE_1: u32 = w4(110, 101, 34, 58)
// ,"ticks":
const TICKS_0: u32 = w4(44, 34, 116, 105)

/** The value digitsAt read last. */
let digitValue: i32 = 0

/**
 * Plain digits at p (1 to 9 of them, no sign) into digitValue; returns their end, or 0 (no address of the
 * input is 0). At most 10 digits are read. The caller checks what follows.
 */
function digitsAt(p: usize): usize {
  const q = p
  let v: i32 = 0
  let d = byteAt(p) - 48
  while (d <= 9 && p - q < 10) {
    v = v * 10 + <i32>d
    p++
    d = byteAt(p) - 48
  }
  const n = p - q
  if (n == 0 || n > 9) return 0
  digitValue = v
  return p
}

/** End of the object opening at p (strings and nesting tracked), or 0 when it does not end before `end`. */
function nestedEnd(p: usize, end: usize): usize {
  let depth: i32 = 0
  while (p < end) {
    const c = byteAt(p)
    if (c == QUOTE) {
      p++
      while (p < end) {
        const s = byteAt(p)
        if (s == QUOTE) break
        p += s == BACKSLASH ? 2 : 1
      }
      if (p >= end) return 0
    } else if (c == OPEN_BRACE || c == OPEN_BRACKET) depth++
    else if (c == CLOSE_BRACE || c == CLOSE_BRACKET) {
      depth--
      if (depth == 0) return p + 1
    }
    p++
  }
  return 0
}

// ---- callFrames, by their bytes

/**
 * A 32-bit hash of a callFrame's bytes [from, to): its length, 16 bytes after `{"functionName":` (where
 * the name starts) and its last 32 (line and column). The lookup compares every byte, so the hash only has
 * to spread; frames that differ only elsewhere (the url) share a chain.
 */
function hashFrame(from: usize, to: usize): u32 {
  const n = <u32>(to - from)
  let h: u32 = 0x811c9dc5 ^ n
  if (n >= 64) {
    h = mix(h, load<u32>(from + 16))
    h = mix(h, load<u32>(from + 20))
    h = mix(h, load<u32>(from + 24))
    h = mix(h, load<u32>(from + 28))
    for (let i = to - 32; i < to; i += 4) h = mix(h, load<u32>(i))
  } else {
    let i = from
    for (; i + 4 <= to; i += 4) h = mix(h, load<u32>(i))
    for (; i < to; i++) h = mix(h, <u32>load<u8>(i))
  }
  h = (h ^ (h >> 16)) * 0x85ebca6b
  return h ^ (h >> 13)
}

@inline function mix(h: u32, w: u32): u32 {
  h = (h ^ w) * 0x01000193
  return h ^ (h >> 15)
}

/** The first '}' at or after p and before end (eight bytes at a time), or 0. */
function closeBraceAt(p: usize, end: usize): usize {
  while (p + 8 <= end) {
    const x = load<u64>(p) ^ 0x7d7d7d7d7d7d7d7d
    const t = (x - 0x0101010101010101) & ~x & 0x8080808080808080
    if (t != 0) return p + <usize>(ctz(t) >> 3)
    p += 8
  }
  while (p < end) {
    if (<u32>load<u8>(p) == CLOSE_BRACE) return p
    p++
  }
  return 0
}

@inline function frameField(k: i32, field: i32): i32 {
  return load<i32>(frames + (<usize>k << 4) + (<usize>field << 2))
}

@inline function setFrameField(k: i32, field: i32, v: i32): void {
  store<i32>(frames + (<usize>k << 4) + (<usize>field << 2), v)
}

function bytesEqual(a: usize, b: usize, n: i32): bool {
  let i: i32 = 0
  while (i + 8 <= n && load<u64>(a + <usize>i) == load<u64>(b + <usize>i)) i += 8
  while (i < n && load<u8>(a + <usize>i) == load<u8>(b + <usize>i)) i++
  return i == n
}

function rehash(): void {
  slotBits++
  slots = alloc(4 << slotBits)
  memory.fill(slots, 0xff, 4 << slotBits)
  const mask = (1 << slotBits) - 1
  for (let k: i32 = 0; k < frameCount; k++) {
    const h = frameField(k, 2) & mask
    setFrameField(k, 3, load<i32>(slots + (<usize>h << 2)))
    store<i32>(slots + (<usize>h << 2), k)
  }
}

/** The known frame with the bytes [from, to), or -1. */
function knownFrame(from: usize, to: usize, hash: i32): i32 {
  const n = <i32>(to - from)
  for (let k = load<i32>(slots + (<usize>(hash & ((1 << slotBits) - 1)) << 2)); k >= 0; k = frameField(k, 3)) {
    if (frameField(k, 2) == hash && frameField(k, 1) == n && bytesEqual(arena + <usize>frameField(k, 0), from, n)) return k
  }
  return -1
}

/** The frame with the bytes [from, to), added when it is new (JavaScript resolves frames it has not seen). */
function frameAt(from: usize, to: usize): i32 {
  const hash = <i32>hashFrame(from, to)
  const known = knownFrame(from, to, hash)
  if (known >= 0) return known
  const n = <i32>(to - from)
  const slot = slots + (<usize>(hash & ((1 << slotBits) - 1)) << 2)
  if (frameCount == frameCap) {
    const bigger = alloc(frameCap << 5)
    memory.copy(bigger, frames, <usize>frameCap << 4)
    frames = bigger
    frameCap <<= 1
    setCtrl(C_FRAMES, <i32>frames)
  }
  if (arenaLength + n + 1 > arenaCap) {
    let size = arenaCap << 1
    while (size < arenaLength + n + 1) size <<= 1
    const bigger = alloc(size)
    memory.copy(bigger, arena, <usize>arenaLength)
    arena = bigger
    arenaCap = size
    setCtrl(C_ARENA, <i32>arena)
  }
  memory.copy(arena + <usize>arenaLength, from, <usize>n)
  store<u8>(arena + <usize>(arenaLength + n), <u8>COMMA)
  const k = frameCount++
  setFrameField(k, 0, arenaLength)
  setFrameField(k, 1, n)
  setFrameField(k, 2, hash)
  setFrameField(k, 3, load<i32>(slot))
  store<i32>(slot, k)
  arenaLength += n + 1
  setCtrl(C_FRAME_COUNT, frameCount)
  if (frameCount * 2 > 1 << slotBits) rehash()
  return k
}

/** The frame of the callFrame object in input[0, n) (checked to be one balanced object by the caller). */
export function frameOf(n: i32): i32 {
  return frameAt(input, input + <usize>n)
}

// ---- nodes

/**
 * Nodes spelled exactly as V8 writes them, from input[0], while they end within input[0, n):
 * `{"id":1,"callFrame":{…},"hitCount":0,"children":[2,3],"positionTicks":[{"line":4,"ticks":1}]}`, no
 * whitespace, these keys in this order, `children` and `positionTicks` optional, plain digits (1 to 9, so
 * exact in an Int32Array). Writes each node's id, frame, hitCount, and the running counts of its children
 * and line ticks (a positionTicks entry with line 0 is left out, as the importer's other readers do), the
 * counts in the control block, with the index of the first node that has a `children` key (-1: none). Returns the end of the last node it read (before the separator), or -1.
 * Stops before the first node spelled otherwise, or that does not end within the piece.
 */
export function plainNodes(n: i32): i32 {
  const end = input + <usize>n
  // 16 zero bytes follow the piece: every word compare past its end fails, every digit loop stops.
  memory.fill(end, 0, 16)
  let q = input
  let last: i32 = -1
  let nodes: i32 = 0
  let children: i32 = 0
  let ticks: i32 = 0
  let firstWithChildren: i32 = -1
  while (q < end && nodes < nodeCap) {
    if (wordAt(q) != ID_0 || <u32>load<u16>(q + 4) != QUOTE_COLON) break
    let p = digitsAt(q + 6)
    if (p == 0) break
    const id = digitValue
    if (wordAt(p) != CALL_FRAME_0 || wordAt(p + 4) != CALL_FRAME_1 || wordAt(p + 8) != CALL_FRAME_2) break
    if (byteAt(p + 12) != COLON || byteAt(p + 13) != OPEN_BRACE) break
    p += 13
    // A known callFrame by its bytes to the first '}': bytes identical to a known frame's, which was
    // checked to be one balanced object, parse as it did, so that '}' is its end. Anything else (a new
    // frame, a '}' in a string) is scanned with strings and nesting tracked.
    let e = closeBraceAt(p, end) + 1
    let frame: i32 = e > 1 ? knownFrame(p, e, <i32>hashFrame(p, e)) : -1
    if (frame < 0) {
      e = nestedEnd(p, end)
      if (e == 0) break
      frame = frameAt(p, e)
    }
    if (wordAt(e) != HIT_COUNT_0 || wordAt(e + 4) != HIT_COUNT_1 || wordAt(e + 8) != HIT_COUNT_2) break
    p = digitsAt(e + 12)
    if (p == 0) break
    const hits = digitValue
    let c = children
    let t = ticks
    let sawHere = false
    if (wordAt(p) == CHILDREN_0) {
      if (wordAt(p + 4) != CHILDREN_1 || wordAt(p + 8) != CHILDREN_2 || byteAt(p + 12) != OPEN_BRACKET) break
      p += 13
      sawHere = true
      if (byteAt(p) == CLOSE_BRACKET) p++
      else {
        while (p < end) {
          p = digitsAt(p)
          if (p == 0) break
          if (c == childCap) {
            p = 0
            break
          }
          store<i32>(childIds + (<usize>c << 2), digitValue)
          c++
          const s = byteAt(p)
          p++
          if (s == CLOSE_BRACKET) break
          if (s != COMMA) {
            p = 0
            break
          }
        }
        if (p == 0 || p >= end) break
      }
    }
    if (wordAt(p) == POSITION_TICKS_0) {
      if (wordAt(p + 4) != POSITION_TICKS_1 || wordAt(p + 8) != POSITION_TICKS_2 || wordAt(p + 12) != POSITION_TICKS_3) break
      if (<u32>load<u16>(p + 16) != COLON_BRACKET) break
      p += 18
      if (byteAt(p) == CLOSE_BRACKET) p++
      else {
        while (p != 0 && p < end) {
          if (wordAt(p) != LINE_0 || wordAt(p + 4) != LINE_1) {
            p = 0
            break
          }
          p = digitsAt(p + 8)
          if (p == 0) break
          const line = digitValue
          if (wordAt(p) != TICKS_0 || wordAt(p + 4) != POSITION_TICKS_3 || byteAt(p + 8) != COLON) {
            p = 0
            break
          }
          p = digitsAt(p + 9)
          if (p == 0 || byteAt(p) != CLOSE_BRACE) {
            p = 0
            break
          }
          if (line >= 1) {
            if (t == tickCap) {
              p = 0
              break
            }
            store<i32>(tickLine + (<usize>t << 2), line)
            store<i32>(tickValue + (<usize>t << 2), digitValue)
            t++
          }
          const s = byteAt(p + 1)
          p += 2
          if (s == CLOSE_BRACKET) break
          if (s != COMMA) p = 0
        }
        if (p == 0 || p >= end) break
      }
    }
    if (p >= end || byteAt(p) != CLOSE_BRACE) break
    const k = <usize>nodes << 2
    store<i32>(nodeId + k, id)
    store<i32>(nodeFrame + k, frame)
    store<i32>(nodeHits + k, hits)
    store<i32>(nodeChildEnd + k, c)
    store<i32>(nodeTickEnd + k, t)
    const after = p + 1
    store<i32>(nodeEnd + k, <i32>(after - input))
    nodes++
    children = c
    ticks = t
    if (sawHere && firstWithChildren < 0) firstWithChildren = nodes - 1
    last = <i32>(after - input)
    if (byteAt(after) != COMMA || byteAt(after + 1) != OPEN_BRACE) break
    q = after + 1
  }
  setCtrl(C_NODES_OUT, nodes)
  setCtrl(C_CHILDREN_OUT, children)
  setCtrl(C_TICKS_OUT, ticks)
  setCtrl(C_SAW_CHILDREN, firstWithChildren)
  return last
}

// ---- samples and time deltas

/**
 * Reads `digits,` (optionally negative, 1 to 9 digits, so exact in an Int32Array) from input[0] while the
 * value starts before `before`, into the ints output (the children area); returns the offset where it
 * stopped (at the first value not spelled so), with the count in C_NODES_OUT. The piece is input[0, n):
 * the caller leaves at least 11 bytes between `before` and n, so a value that starts before it ends in it.
 */
export function scanInts(n: i32, before: i32): i32 {
  memory.fill(input + <usize>n, 0, 16)
  const stop = input + <usize>before
  let q = input
  let count: i32 = 0
  while (q < stop && count < childCap) {
    let p = q
    const negative = byteAt(p) == MINUS
    if (negative) p++
    const first = p
    let v: i32 = 0
    let d = byteAt(p) - 48
    while (d <= 9) {
      v = v * 10 + <i32>d
      p++
      d = byteAt(p) - 48
    }
    const digits = p - first
    if (digits == 0 || digits > 9 || d + 48 != COMMA) break
    store<i32>(childIds + (<usize>count << 2), negative ? -v : v)
    count++
    q = p + 1
  }
  setCtrl(C_NODES_OUT, count)
  return <i32>(q - input)
}
