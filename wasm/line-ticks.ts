// AssemblyScript source of core/model/line-ticks-wasm.ts (built by scripts/build-wasm.mjs): the CSR table
// of line-tick entries of core/model/line-ticks.ts csrFromEntries, which every import with positionTicks
// builds twice (per function, per node). Why WebAssembly: see wasm/cpuprofile-scan.ts. The JavaScript side
// lays the arrays out in this memory and passes their byte addresses.

import { f64At, i32At, setF64, setI32 } from './memory'

export { reserve } from './memory'

/**
 * The entries (row, line, value) [0, n) in rows 0..rowCount-1 (others dropped): a counting sort by row
 * (stable) into sortedLine/sortedTicks, each row sorted by line (insertion: rows hold a handful) and
 * equal lines merged (values summed in entry order), rows moved down over what merging freed. `at` and
 * `start` have rowCount + 1 entries (zeroed), `fill` rowCount. Fills `start`; returns the entries kept.
 */
export function csr(
  n: i32,
  row: usize,
  lines: usize,
  values: usize,
  rowCount: i32,
  at: usize,
  fill: usize,
  sortedLine: usize,
  sortedTicks: usize,
  start: usize,
): i32 {
  for (let k: i32 = 0; k < n; k++) {
    const r = i32At(row, k)
    if (r >= 0 && r < rowCount) setI32(at, r + 1, i32At(at, r + 1) + 1)
  }
  for (let r: i32 = 1; r <= rowCount; r++) setI32(at, r, i32At(at, r) + i32At(at, r - 1))
  memory.copy(fill, at, <usize>rowCount << 2)
  for (let k: i32 = 0; k < n; k++) {
    const r = i32At(row, k)
    if (r < 0 || r >= rowCount) continue
    const d = i32At(fill, r)
    setI32(fill, r, d + 1)
    setI32(sortedLine, d, i32At(lines, k))
    setF64(sortedTicks, d, f64At(values, k))
  }
  let out: i32 = 0
  for (let r: i32 = 0; r < rowCount; r++) {
    const s = i32At(at, r)
    const e = i32At(at, r + 1)
    for (let i = s + 1; i < e; i++) {
      const l = i32At(sortedLine, i)
      const t = f64At(sortedTicks, i)
      let j = i - 1
      while (j >= s && i32At(sortedLine, j) > l) {
        setI32(sortedLine, j + 1, i32At(sortedLine, j))
        setF64(sortedTicks, j + 1, f64At(sortedTicks, j))
        j--
      }
      setI32(sortedLine, j + 1, l)
      setF64(sortedTicks, j + 1, t)
    }
    const rowStart = out
    setI32(start, r, out)
    for (let i = s; i < e; i++) {
      if (out > rowStart && i32At(sortedLine, out - 1) == i32At(sortedLine, i)) setF64(sortedTicks, out - 1, f64At(sortedTicks, out - 1) + f64At(sortedTicks, i))
      else {
        setI32(sortedLine, out, i32At(sortedLine, i))
        setF64(sortedTicks, out, f64At(sortedTicks, i))
        out++
      }
    }
  }
  setI32(start, rowCount, out)
  return out
}
