/**
 * A CPU profile's per-sample passes in WebAssembly (source: wasm/cpuprofile-samples.ts): timestamps from
 * time deltas, the count of absurd deltas, each sample's interval and time in ms, and each sample's time
 * added to its node. The samples go through a fresh instance's memory a piece at a time, so memory stays
 * a few MB whatever the sample count (an 18.7 M-sample profile would otherwise hold ~450 MB of copies).
 */
import { wasmLayout, wasmModule } from '../model/wasm.js'
import { CPUPROFILE_SAMPLES_WASM } from './cpuprofile-samples-wasm.js'

interface SamplesExports {
  memory: { buffer: ArrayBuffer }
  reserve(bytes: number): void
  startTimestamps(startTime: number): void
  timestamps(n: number, deltas: number, out: number): void
  negativeDeltas(): number
  deltaSum(): number
  countAbove(n: number, values: number, limit: number): number
  intervalsToMillis(n: number, timestamp: number, out: number, startTime: number): void
  addEach(n: number, nodes: number, values: number, selfValues: number, selfCounts: number): void
  firstDescent(n: number, timestamp: number): number
  startFix(prev: number, current: number): void
  fixMissing(n: number, node: number, topLevel: number, programIndex: number, gcIndex: number, idleIndex: number): void
  toBuilderNodes(n: number, node: number, treeNode: number, gcIndex: number, gcAt: number): number
}

/** Samples per piece. */
const PIECE = 1 << 16
/** Timestamps per piece when looking for the next out-of-order one (copied again after each). */
const DESCENT_PIECE = 4096

const instance = wasmModule<SamplesExports>(CPUPROFILE_SAMPLES_WASM, 'the CPU profile importer')

export interface SamplePasses {
  /** Timestamps (µs) from the deltas [0, n), into a new array; with the count of negative deltas and the sum of the others. */
  timestamps(timeDeltas: ArrayLike<number>, n: number, startTime: number): { timestamp: Float64Array; negative: number; sum: number }
  /** How many of values[1, n) exceed limit. */
  countAbove(values: ArrayLike<number>, n: number, limit: number): number
  /** The first k ≥ from whose timestamp is not ≥ the one before it (NaN included), or the length (from ≥ 1). */
  nextDescent(timestamp: Float64Array, from: number): number
  /** DevTools' fixMissingSamples (see core/import/cpuprofile.ts), in place; needs 3 samples or more. */
  fixMissing(sampleNode: Int32Array, topLevel: Int32Array, programIndex: number, gcIndex: number, idleIndex: number): void
  /**
   * Raw node → builder node of each sample, in place; a sample of gcIndex (≥ 0) goes on top of the stack
   * of the sample before it (`gcChild(stack)` gives that node).
   */
  toBuilderNodes(sampleNode: Int32Array, treeNode: Int32Array, gcIndex: number, gcChild: (stack: number) => number): void
  /**
   * Each sample's interval to the next, in ms (the last one `lastDurationUs`), into a new array, and the
   * timestamps to ms since startTime in place.
   */
  intervalsToMillis(timestamp: Float64Array, lastDurationUs: number, startTime: number): Float64Array
  /** selfValues[nodes[i]] += values[i] and selfCounts[nodes[i]] += 1 for every i, in order, over entries [0, size). */
  addEach(nodes: Int32Array, values: Float64Array, selfValues: Float64Array, selfCounts: Float64Array, size: number): void
}

/** A piece [from, to) of values as something a Float64Array can copy from. */
function piece(values: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  return values instanceof Float64Array || values instanceof Int32Array
    ? values.subarray(from, to)
    : Array.prototype.slice.call(values, from, to)
}

/** The passes over one profile's samples. */
export function createSamplePasses(): SamplePasses {
  const x = instance()
  // The pieces' buffers, then room for per-tree arrays (tree nodes, raw nodes) as a pass needs it.
  const layout = wasmLayout()
  const a = layout.f64(PIECE + 1)
  const b = layout.f64(PIECE)
  const nodesAt = layout.i32(PIECE + 1)
  const gcAt = layout.i32(PIECE)
  const extraAt = layout.f64(0)
  let A = new Float64Array(0)
  let B = new Float64Array(0)
  let N = new Int32Array(0)
  let G = new Int32Array(0)
  /** Makes the memory hold `extraBytes` after the pieces' buffers; returns the memory (views made anew). */
  const room = (extraBytes: number): ArrayBuffer => {
    x.reserve(extraAt + extraBytes)
    const buffer = x.memory.buffer
    if (A.buffer !== buffer) {
      A = new Float64Array(buffer, a, PIECE + 1)
      B = new Float64Array(buffer, b, PIECE)
      N = new Int32Array(buffer, nodesAt, PIECE + 1)
      G = new Int32Array(buffer, gcAt, PIECE)
    }
    return buffer
  }
  room(0)
  return {
    timestamps(timeDeltas, n, startTime) {
      const timestamp = new Float64Array(n)
      x.startTimestamps(startTime)
      for (let from = 0; from < n; from += PIECE) {
        const to = Math.min(n, from + PIECE)
        A.set(piece(timeDeltas, from, to))
        x.timestamps(to - from, a, b)
        timestamp.set(B.subarray(0, to - from), from)
      }
      return { timestamp, negative: x.negativeDeltas(), sum: x.deltaSum() }
    },
    countAbove(values, n, limit) {
      let count = 0
      for (let from = 1; from < n; from += PIECE) {
        const to = Math.min(n, from + PIECE)
        A.set(piece(values, from, to))
        count += x.countAbove(to - from, a, limit)
      }
      return count
    },
    nextDescent(timestamp, from) {
      const n = timestamp.length
      // Pieces that start one before `from`, so the first comparison is timestamp[from] with the one before.
      for (let start = from - 1; start + 1 < n; start += DESCENT_PIECE - 1) {
        const end = Math.min(n, start + DESCENT_PIECE)
        A.set(timestamp.subarray(start, end))
        const k = x.firstDescent(end - start, a)
        if (k < end - start) return start + k
      }
      return n
    },
    fixMissing(sampleNode, topLevel, programIndex, gcIndex, idleIndex) {
      const n = sampleNode.length
      const buffer = room(topLevel.length * 4)
      new Int32Array(buffer, extraAt, topLevel.length).set(topLevel)
      x.startFix(sampleNode[0] as number, sampleNode[1] as number)
      // Samples 1..n-2 can change; each piece takes the sample after it along.
      for (let from = 1; from < n - 1; from += PIECE) {
        const to = Math.min(n - 1, from + PIECE)
        N.set(sampleNode.subarray(from, to + 1))
        x.fixMissing(to - from, nodesAt, extraAt, programIndex, gcIndex, idleIndex)
        sampleNode.set(N.subarray(0, to - from), from)
      }
    },
    toBuilderNodes(sampleNode, treeNode, gcIndex, gcChild) {
      const n = sampleNode.length
      const buffer = room(treeNode.length * 4)
      new Int32Array(buffer, extraAt, treeNode.length).set(treeNode)
      for (let from = 0; from < n; from += PIECE) {
        const to = Math.min(n, from + PIECE)
        N.set(sampleNode.subarray(from, to))
        const listed = x.toBuilderNodes(to - from, nodesAt, extraAt, gcIndex, gcAt)
        sampleNode.set(N.subarray(0, to - from), from)
        for (let k = 0; k < listed; k++) {
          const at = from + (G[k] as number)
          sampleNode[at] = gcChild(sampleNode[at] as number)
        }
      }
    },
    intervalsToMillis(timestamp, lastDurationUs, startTime) {
      const n = timestamp.length
      const durationMs = new Float64Array(n)
      // Every sample but the last needs the next one's timestamp: pieces of up to PIECE samples, each
      // with the next piece's first timestamp after it.
      for (let from = 0; from < n - 1; from += PIECE) {
        const to = Math.min(n - 1, from + PIECE)
        A.set(timestamp.subarray(from, to + 1))
        x.intervalsToMillis(to - from, a, b, startTime)
        timestamp.set(A.subarray(0, to - from), from)
        durationMs.set(B.subarray(0, to - from), from)
      }
      if (n > 0) {
        durationMs[n - 1] = lastDurationUs / 1000
        timestamp[n - 1] = ((timestamp[n - 1] as number) - startTime) / 1000
      }
      return durationMs
    },
    addEach(nodes, values, selfValues, selfCounts, size) {
      // The tree's node sums after the pieces' buffers.
      const buffer = room(size * 16)
      const selfAt = extraAt
      const countsAt = extraAt + size * 8
      const S = new Float64Array(buffer, selfAt, size)
      const C = new Float64Array(buffer, countsAt, size)
      S.set(selfValues.subarray(0, size))
      C.set(selfCounts.subarray(0, size))
      for (let from = 0; from < nodes.length; from += PIECE) {
        const to = Math.min(nodes.length, from + PIECE)
        N.set(nodes.subarray(from, to))
        A.set(values.subarray(from, to))
        x.addEach(to - from, nodesAt, a, selfAt, countsAt)
      }
      selfValues.set(S)
      selfCounts.set(C)
    },
  }
}
