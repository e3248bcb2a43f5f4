// AssemblyScript source of core/import/cpuprofile-samples-wasm.ts (built by scripts/build-wasm.mjs): the
// per-sample passes of a CPU profile's import (core/import/cpuprofile.ts attributeSamples): timestamps
// from time deltas, each sample's interval, microseconds to milliseconds, and each sample's time added to
// its node. Why WebAssembly: see wasm/cpuprofile-scan.ts. The samples go through in pieces (the
// JavaScript side copies a piece in, calls, copies it out), so memory stays a few MB whatever the count;
// the running values that cross pieces are kept here.

/** Makes the memory at least `bytes` long. */
export function reserve(bytes: i32): void {
  const have = <i32>memory.size() << 16
  if (bytes > have) {
    if (memory.grow((bytes - have + 0xffff) >> 16) < 0) unreachable()
  }
}

@inline function f64At(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3))
}

@inline function setF64(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v)
}

@inline function i32At(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2))
}

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
