// AssemblyScript source of core/import/cpuprofile-samples-wasm.ts (built by scripts/build-wasm.mjs): the
// per-sample passes of a CPU profile's import (core/import/cpuprofile.ts attributeSamples): timestamps
// from time deltas, each sample's interval, microseconds to milliseconds, and each sample's time added to
// its node. Why WebAssembly: see wasm/cpuprofile-scan.ts. The samples go through in pieces (the
// JavaScript side copies a piece in, calls, copies it out), so memory stays a few MB whatever the count;
// the running values that cross pieces are kept here.

import { f64At, i32At, setF64, setI32 } from './memory'

export { reserve } from './memory'

let clock: f64 = 0
let negatives: i32 = 0
let positiveSum: f64 = 0

/** Starts the running timestamp at startTime (µs). */
export function startTimestamps(startTime: f64): void {
  clock = startTime
  negatives = 0
  positiveSum = 0
}

/**
 * out[i] = the running sum of the deltas so far (from startTime); counts negative deltas and sums the
 * others, in the order JavaScript's loop did (so the values are the same to the bit).
 */
export function timestamps(n: i32, deltas: usize, out: usize): void {
  let t = clock
  for (let i: i32 = 0; i < n; i++) {
    const d = f64At(deltas, i)
    if (d < 0) negatives++
    else positiveSum += d
    t += d
    setF64(out, i, t)
  }
  clock = t
}

export function negativeDeltas(): i32 {
  return negatives
}

export function deltaSum(): f64 {
  return positiveSum
}

/** How many of values[0, n) exceed limit. */
export function countAbove(n: i32, values: usize, limit: f64): i32 {
  let count: i32 = 0
  for (let i: i32 = 0; i < n; i++) if (f64At(values, i) > limit) count++
  return count
}

/**
 * For a piece of n + 1 timestamps (µs, the next piece's first last): out[i] = its interval to the next,
 * in ms, and the timestamp itself to ms since startTime, in place (i < n).
 */
export function intervalsToMillis(n: i32, timestamp: usize, out: usize, startTime: f64): void {
  for (let i: i32 = 0; i < n; i++) {
    const t = f64At(timestamp, i)
    setF64(out, i, (f64At(timestamp, i + 1) - t) / 1000)
    setF64(timestamp, i, (t - startTime) / 1000)
  }
}

/** selfValues[nodes[i]] += values[i] and selfCounts[nodes[i]] += 1, in order. */
export function addEach(n: i32, nodes: usize, values: usize, selfValues: usize, selfCounts: usize): void {
  for (let i: i32 = 0; i < n; i++) {
    const at = i32At(nodes, i)
    setF64(selfValues, at, f64At(selfValues, at) + f64At(values, i))
    setF64(selfCounts, at, f64At(selfCounts, at) + 1)
  }
}

/** The first k in [1, n) whose timestamp is not ≥ the one before it (NaN included), or n. */
export function firstDescent(n: i32, timestamp: usize): i32 {
  for (let k: i32 = 1; k < n; k++) if (!(f64At(timestamp, k) >= f64At(timestamp, k - 1))) return k
  return n
}

let fixPrev: i32 = 0
let fixCurrent: i32 = 0

/** Starts DevTools' fixMissingSamples with the first two samples' nodes. */
export function startFix(prev: i32, current: i32): void {
  fixPrev = prev
  fixCurrent = current
}

/**
 * DevTools' fixMissingSamples over a piece: node[0, n) are samples i..i+n-1 (1 ≤ i, i + n < count) and
 * node[n] the next one. A `(program)` sample between two samples under the same top-level node, neither of
 * them (program), (garbage collector) or (idle), becomes the one before it; the neighbours compared are the
 * original ones (carried across pieces), as DevTools compares them.
 */
export function fixMissing(n: i32, node: usize, topLevel: usize, programIndex: i32, gcIndex: i32, idleIndex: i32): void {
  let prev = fixPrev
  let current = fixCurrent
  for (let k: i32 = 0; k < n; k++) {
    const next = i32At(node, k + 1)
    if (
      current == programIndex &&
      prev != programIndex &&
      prev != gcIndex &&
      prev != idleIndex &&
      next != programIndex &&
      next != gcIndex &&
      next != idleIndex &&
      i32At(topLevel, prev) == i32At(topLevel, next)
    ) {
      setI32(node, k, prev)
    }
    prev = current
    current = next
  }
  fixPrev = prev
  fixCurrent = current
}

let stackBeforeGc: i32 = 0

/**
 * Raw node → builder node of the samples node[0, n), in place. A sample of gcIndex (≥ 0) gets the builder
 * node of the last other sample before it (carried across pieces), and its place in the piece is listed
 * in gcAt for the caller, which puts it on top of that stack; returns how many were listed.
 */
export function toBuilderNodes(n: i32, node: usize, treeNode: usize, gcIndex: i32, gcAt: usize): i32 {
  let stack = stackBeforeGc
  let listed: i32 = 0
  for (let k: i32 = 0; k < n; k++) {
    const raw = i32At(node, k)
    if (raw == gcIndex) {
      setI32(node, k, stack)
      setI32(gcAt, listed++, k)
    } else {
      stack = i32At(treeNode, raw)
      setI32(node, k, stack)
    }
  }
  stackBeforeGc = stack
  return listed
}
