/**
 * A CPU profile's per-sample passes in WebAssembly (source: wasm/cpuprofile-samples.ts): timestamps from
 * time deltas, the count of absurd deltas, each sample's interval and time in ms, and each sample's time
 * added to its node. The samples go through a fresh instance's memory a piece at a time, so memory stays
 * a few MB whatever the sample count (an 18.7 M-sample profile would otherwise hold ~450 MB of copies).
 */
import { compileWasm, instantiateWasm } from '../model/wasm.js'
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
}

/** Samples per piece. */
const PIECE = 1 << 16

let compiled: object | undefined

export interface SamplePasses {
  /** Timestamps (µs) from the deltas, into a new array; with the count of negative deltas and the sum of the others. */
  timestamps(timeDeltas: ArrayLike<number>, n: number, startTime: number): { timestamp: Float64Array; negative: number; sum: number }
  /** How many of values[1, n) exceed limit. */
  countAbove(values: ArrayLike<number>, n: number, limit: number): number
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
  compiled ??= compileWasm(CPUPROFILE_SAMPLES_WASM, 'the CPU profile importer')
  const x = instantiateWasm<SamplesExports>(compiled)
  const a = 0
  const b = a + (PIECE + 1) * 8
  const nodesAt = b + PIECE * 8
  const selfAt = nodesAt + PIECE * 4
  x.reserve(selfAt)
  let A = new Float64Array(x.memory.buffer, a, PIECE + 1)
  let B = new Float64Array(x.memory.buffer, b, PIECE)
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
      // The tree's node sums after the pieces' buffers (the memory grows: views made anew).
      const countsAt = selfAt + size * 8
      x.reserve(countsAt + size * 8)
      const buffer = x.memory.buffer
      A = new Float64Array(buffer, a, PIECE + 1)
      B = new Float64Array(buffer, b, PIECE)
      const N = new Int32Array(buffer, nodesAt, PIECE)
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
