/**
 * The WebAssembly loops of the CPU profile byte importer (source: wasm/cpuprofile-scan.ts, built by
 * scripts/build-wasm.mjs): V8's spelling of nodes, the callFrame table by bytes, and runs of plain integers
 * (samples, time deltas). cpuprofile-stream.ts copies a piece of its window into `input` and reads what
 * the loops wrote through the views here. One scanner per import (its memory goes with it).
 *
 * Why not JavaScript: see the source's header (a fresh process waits for V8's optimizing compiler; these
 * loops are compiled before they run). Compiled and instantiated by core/model/wasm.ts.
 */
import { wasmModule } from '../model/wasm.js'
import { CPUPROFILE_SCAN_WASM } from './cpuprofile-scan-wasm.js'

interface ScanExports {
  memory: { buffer: ArrayBuffer }
  init(cap: number): number
  plainNodes(n: number): number
  scanInts(n: number, before: number): number
  frameOf(n: number): number
}

// The control block's words (wasm/cpuprofile-scan.ts keeps the same numbers).
const C_INPUT = 0
const C_NODE_ID = 2
const C_NODE_FRAME = 3
const C_NODE_HITS = 4
const C_NODE_CHILD_END = 5
const C_NODE_TICK_END = 6
const C_CHILD_IDS = 7
const C_TICK_LINE = 8
const C_TICK_VALUE = 9
const C_NODES_OUT = 10
const C_CHILDREN_OUT = 11
const C_TICKS_OUT = 12
const C_SAW_CHILDREN = 13
const C_FRAME_COUNT = 14
const C_FRAMES = 15
const C_ARENA = 16
const C_INTS_OUT = 17
const C_NODE_END = 18

/** Bytes per piece: what one call reads at most (nodes must end within it). */
export const SCAN_PIECE_BYTES = 64 << 10

const instance = wasmModule<ScanExports>(CPUPROFILE_SCAN_WASM, 'the CPU profile importer')

export interface CpuProfileScanner {
  /** Copies b[from, from + n) into the input (n ≤ SCAN_PIECE_BYTES). */
  load(b: Uint8Array, from: number, n: number): void
  /**
   * Reads nodes in V8's own spelling from the input's start while they end within its first n bytes;
   * returns how many (their fields through the views below, valid until the next call).
   */
  plainNodes(n: number): number
  /** The frame index of the callFrame object in input[0, n) (added to the table when new). */
  frameOf(n: number): number
  /**
   * Plain integers from the input's start while they start before `before`; returns where it stopped (an
   * offset in the input), the values in ints(), count in count().
   */
  scanInts(n: number, before: number): number
  count(): number
  nodeId(): Int32Array
  nodeFrame(): Int32Array
  nodeHits(): Int32Array
  /** Per node: its children end (the first node's start at 0), its line ticks end, its end in the input. */
  nodeChildEnd(): Int32Array
  nodeTickEnd(): Int32Array
  nodeEnd(): Int32Array
  childIds(): Int32Array
  tickLine(): Int32Array
  tickValue(): Int32Array
  ints(): Int32Array
  childrenOut(): number
  ticksOut(): number
  /** The index of the first node read that has a `children` key, or -1. */
  firstWithChildren(): number
  /** Distinct callFrames in the table so far. */
  frameCount(): number
  /** The bytes of frames [from, to) as one JSON array's elements (each followed by ',', the last not). */
  frameRun(from: number, to: number): Uint8Array
  /** The bytes of one frame. */
  frameBytes(k: number): Uint8Array
}

export function createCpuProfileScanner(): CpuProfileScanner {
  const exports = instance()
  const ctrl = exports.init(SCAN_PIECE_BYTES) >> 2
  let buffer = exports.memory.buffer
  let u8 = new Uint8Array(buffer)
  let i32 = new Int32Array(buffer)
  // Memory grows only in calls (a new frame, a rehash); views are rebuilt when it did.
  const fresh = (): void => {
    if (exports.memory.buffer !== buffer) {
      buffer = exports.memory.buffer
      u8 = new Uint8Array(buffer)
      i32 = new Int32Array(buffer)
    }
  }
  const word = (field: number): number => i32[ctrl + field] as number
  const input = word(C_INPUT)
  const column = (field: number, n: number): Int32Array => new Int32Array(buffer, word(field), n)
  const frameField = (k: number, field: number): number => i32[(word(C_FRAMES) >> 2) + k * 4 + field] as number
  return {
    load(b, from, n) {
      u8.set(b.subarray(from, from + n), input)
    },
    plainNodes(n) {
      exports.plainNodes(n)
      fresh()
      return word(C_NODES_OUT)
    },
    frameOf(n) {
      const k = exports.frameOf(n)
      fresh()
      return k
    },
    scanInts(n, before) {
      const stop = exports.scanInts(n, before)
      fresh()
      return stop
    },
    count: () => word(C_NODES_OUT),
    nodeId: () => column(C_NODE_ID, word(C_NODES_OUT)),
    nodeFrame: () => column(C_NODE_FRAME, word(C_NODES_OUT)),
    nodeHits: () => column(C_NODE_HITS, word(C_NODES_OUT)),
    nodeChildEnd: () => column(C_NODE_CHILD_END, word(C_NODES_OUT)),
    nodeTickEnd: () => column(C_NODE_TICK_END, word(C_NODES_OUT)),
    nodeEnd: () => column(C_NODE_END, word(C_NODES_OUT)),
    childIds: () => column(C_CHILD_IDS, word(C_CHILDREN_OUT)),
    tickLine: () => column(C_TICK_LINE, word(C_TICKS_OUT)),
    tickValue: () => column(C_TICK_VALUE, word(C_TICKS_OUT)),
    ints: () => column(C_INTS_OUT, word(C_NODES_OUT)),
    childrenOut: () => word(C_CHILDREN_OUT),
    ticksOut: () => word(C_TICKS_OUT),
    firstWithChildren: () => word(C_SAW_CHILDREN),
    frameCount: () => word(C_FRAME_COUNT),
    frameRun(from, to) {
      const arena = word(C_ARENA)
      return u8.subarray(arena + frameField(from, 0), arena + frameField(to - 1, 0) + frameField(to - 1, 1))
    },
    frameBytes(k) {
      const start = word(C_ARENA) + frameField(k, 0)
      return u8.subarray(start, start + frameField(k, 1))
    },
  }
}
