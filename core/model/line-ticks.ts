/**
 * Per-function line ticks: how many of a function's self samples V8 attributed to each source line
 * (the CPU profile's `positionTicks`, recorded per call path and summed here over every node of the
 * function). Stored in the function table as one CSR table so it crosses IPC and workers by structured clone.
 *
 * V8 records ticks per node (call path) for the whole profile, not per sample, so no time range splits
 * them exactly. The tree keeps them per node too (`CallTree.nodeLineTicks`), and a time range scales each
 * node's ticks by the share of its samples that fall in the range (`scaleLineTicks`): exact for a call
 * path whose samples all fall inside or all outside, an estimate for one the range cuts (it assumes the
 * path's lines were hot in the same proportions throughout). Transforms keep the line ticks of the tree
 * they start from. A line can lie outside the function's own body when V8 inlined a callee of the same
 * script into it (the tick names the callee's line).
 */

import { LINE_TICKS_WASM } from './line-ticks-wasm.js'
import { resized } from './typed-arrays.js'
import { wasmLayout, wasmModule } from './wasm.js'

/** Line ticks of every function: rows start[f]..start[f+1] of `line`/`ticks`, lines ascending. */
export interface FunctionLineTicks {
  /** length = function count + 1. */
  start: Int32Array
  /** 1-based source lines. */
  line: Int32Array
  /** Whole ticks as V8 counted them; fractional once scaled to a time range (see `scaledToRange`). */
  ticks: Uint32Array | Float64Array
  /** Set when the ticks were scaled to a time range (an estimate; see the file comment). */
  scaledToRange?: true
}

/** Line ticks of every call-tree node, in the same CSR form: rows start[n]..start[n+1], lines ascending. */
export type NodeLineTicks = Omit<FunctionLineTicks, 'scaledToRange'>

/** Line-tick entries of raw profile nodes, as an importer collected them (parallel arrays). */
export interface RawLineTicks {
  /** The raw node (the importer's node index) of each entry. */
  node: ArrayLike<number>
  line: ArrayLike<number>
  ticks: ArrayLike<number>
}

/** One line of a function with its ticks. */
export interface LineTick {
  line: number
  ticks: number
}

/** Collects positionTicks per function while a profile is imported; `finish` builds the table. */
export interface LineTickCollector {
  /**
   * Adds raw node `node`'s positionTicks (anything: entries that are not `{line, ticks}` with a positive
   * integer line and a non-negative integer ticks are skipped, since the field is optional and only advisory).
   */
  add(func: number, positionTicks: unknown, node: number): void
  /** Adds one entry already checked by the caller (a positive integer line, a non-negative integer ticks). */
  addEntry(func: number, node: number, line: number, ticks: number): void
  /** True once any tick was added. */
  readonly any: boolean
  finish(functionCount: number): FunctionLineTicks
  /** Every entry added, by raw node (for the tree's per-node table). */
  raw(): RawLineTicks
}

/**
 * Entries go into growable typed arrays and the tables are built by a counting sort on the row (rather
 * than a Map of Maps per row): a profile has about one entry per node with self samples, and at 10 MB the
 * Maps were ~10% of the import, most of it allocation and GC.
 */
export function createLineTickCollector(): LineTickCollector {
  let cap = 0
  let count = 0
  let func = new Int32Array(0)
  let rawNode = new Int32Array(0)
  let rawLine = new Int32Array(0)
  let rawTicks = new Float64Array(0)
  const push = (f: number, node: number, line: number, ticks: number): void => {
    if (count === cap) {
      cap = Math.max(1024, cap * 2)
      func = resized(func, cap)
      rawNode = resized(rawNode, cap)
      rawLine = resized(rawLine, cap)
      rawTicks = resized(rawTicks, cap)
    }
    func[count] = f
    rawNode[count] = node
    rawLine[count] = line
    rawTicks[count] = ticks
    count++
  }
  return {
    get any() {
      return count > 0
    },
    add(f, positionTicks, node) {
      if (!Array.isArray(positionTicks)) return
      for (const entry of positionTicks as unknown[]) {
        if (typeof entry !== 'object' || entry === null) continue
        const { line, ticks } = entry as { line?: unknown; ticks?: unknown }
        if (!Number.isInteger(line) || (line as number) < 1 || !Number.isInteger(ticks) || (ticks as number) < 0) continue
        push(f, node, line as number, ticks as number)
      }
    },
    addEntry: push,
    finish(functionCount) {
      return csrFromEntries(func.subarray(0, count), rawLine.subarray(0, count), rawTicks.subarray(0, count), functionCount, false)
    },
    raw() {
      return { node: rawNode.subarray(0, count), line: rawLine.subarray(0, count), ticks: rawTicks.subarray(0, count) }
    },
  }
}

/**
 * The CSR table of entries (row, line, ticks) with rows 0..rowCount-1: entries of one row and line summed,
 * lines ascending. Rows out of range are dropped. A counting sort puts entries in row order (stable), then
 * each row's few entries are sorted by line in place and merged: in WebAssembly (wasm/line-ticks.ts), in a
 * fresh instance's memory per table, for the reason given at finishCallTree (core/model/call-tree.ts).
 */
function csrFromEntries(
  row: ArrayLike<number>,
  lines: ArrayLike<number>,
  values: ArrayLike<number>,
  rowCount: number,
  fractional: boolean,
): FunctionLineTicks {
  const x = instance()
  const n = row.length
  const layout = wasmLayout()
  const valuesAt = layout.f64(n)
  const sortedTicksAt = layout.f64(n)
  const rowAt = layout.i32(n)
  const linesAt = layout.i32(n)
  const sortedLineAt = layout.i32(n)
  const at = layout.i32(rowCount + 1)
  const fill = layout.i32(rowCount)
  const startAt = layout.i32(rowCount + 1)
  x.reserve(layout.bytes)
  const buffer = x.memory.buffer
  new Float64Array(buffer, valuesAt, n).set(values)
  new Int32Array(buffer, rowAt, n).set(row)
  new Int32Array(buffer, linesAt, n).set(lines)
  const out = x.csr(n, rowAt, linesAt, valuesAt, rowCount, at, fill, sortedLineAt, sortedTicksAt, startAt)
  const start = new Int32Array(buffer, startAt, rowCount + 1).slice()
  const line = new Int32Array(buffer, sortedLineAt, out).slice()
  const sortedTicks = new Float64Array(buffer, sortedTicksAt, out)
  let ticks: Uint32Array | Float64Array
  if (fractional) ticks = sortedTicks.slice()
  else {
    // set() converts in one native copy (Uint32Array.from walks an iterator).
    ticks = new Uint32Array(out)
    ticks.set(sortedTicks)
  }
  return { start, line, ticks }
}

interface LineTicksExports {
  memory: { buffer: ArrayBuffer }
  reserve(bytes: number): void
  csr(
    n: number,
    row: number,
    lines: number,
    values: number,
    rowCount: number,
    at: number,
    fill: number,
    sortedLine: number,
    sortedTicks: number,
    start: number,
  ): number
}

const instance = wasmModule<LineTicksExports>(LINE_TICKS_WASM, 'the line-tick tables')

/**
 * The per-node table of entries whose nodes are given in another numbering: `nodeOf(entry node)` is the
 * entry's node in the tree (-1 drops it), `nodeCount` the tree's node count. Entries of one node and line
 * are summed; `weight(entry node)` scales an entry (1 when omitted). Ticks stay whole unless weighted or
 * already fractional.
 */
export function nodeLineTicksFrom(
  entries: RawLineTicks,
  nodeOf: (node: number) => number,
  nodeCount: number,
  weight?: (node: number) => number,
): NodeLineTicks {
  const n = entries.node.length
  const row = new Int32Array(n)
  const values = new Float64Array(n)
  let fractional = weight !== undefined
  for (let k = 0; k < n; k++) {
    const from = entries.node[k] as number
    const w = weight ? weight(from) : 1
    // A zero weight drops the entry, as a node the numbering drops.
    row[k] = w === 0 ? -1 : nodeOf(from)
    values[k] = (entries.ticks[k] as number) * w
    if (!fractional && !Number.isInteger(entries.ticks[k])) fractional = true
  }
  return csrFromEntries(row, entries.line, values, nodeCount, fractional)
}

/** A per-node table's rows as entries (to renumber or rescale it). */
export function nodeLineTickEntries(table: NodeLineTicks): RawLineTicks {
  const node = new Int32Array(table.line.length)
  for (let n = 0; n + 1 < table.start.length; n++) node.fill(n, table.start[n] as number, table.start[n + 1] as number)
  return { node, line: table.line, ticks: table.ticks }
}

/**
 * The function table of a per-node table: each node's lines added to its function's (`funcOf`). With
 * `scaledToRange`, the ticks are kept fractional and the table says it is a time-range estimate.
 */
export function functionLineTicksFromNodes(
  table: NodeLineTicks,
  funcOf: ArrayLike<number>,
  functionCount: number,
  scaledToRange: boolean,
): FunctionLineTicks {
  const row = new Int32Array(table.line.length)
  for (let n = 0; n + 1 < table.start.length; n++) row.fill(funcOf[n] as number, table.start[n] as number, table.start[n + 1] as number)
  const out = csrFromEntries(row, table.line, table.ticks, functionCount, scaledToRange)
  if (scaledToRange) out.scaledToRange = true
  return out
}

/** The line ticks of function `fn`, lines ascending; empty when the profile has none for it. */
export function getFunctionLineTicks(table: FunctionLineTicks | undefined, fn: number): LineTick[] {
  if (!table || fn < 0 || fn + 1 >= table.start.length) return []
  const out: LineTick[] = []
  for (let k = table.start[fn] as number; k < (table.start[fn + 1] as number); k++)
    out.push({ line: table.line[k] as number, ticks: table.ticks[k] as number })
  return out
}

/**
 * The lines of a function's body in its source text: from the function's start (1-based line and column,
 * as the profile gives them) to the line of the brace that closes the first `{` after it. Strings, template
 * literals and comments are skipped while braces are counted (a small scanner, not a parser: a regular
 * expression literal containing a brace can mislead it, in which case the range ends early or is null).
 * Null when no body is found (an arrow function with an expression body, a position past the text).
 */
export function functionBodyLines(text: string, line: number, column: number): { start: number; end: number } | null {
  if (line < 1) return null
  let pos = 0
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', pos)
    if (nl < 0) return null
    pos = nl + 1
  }
  pos += Math.max(0, column - 1)
  let currentLine = line
  let depth = 0
  const n = text.length
  while (pos < n) {
    const c = text[pos] as string
    if (c === '\n') currentLine++
    else if (c === '/' && text[pos + 1] === '/') {
      const nl = text.indexOf('\n', pos)
      if (nl < 0) return null
      pos = nl
      continue
    } else if (c === '/' && text[pos + 1] === '*') {
      const endComment = text.indexOf('*/', pos + 2)
      if (endComment < 0) return null
      for (let k = pos; k < endComment; k++) if (text[k] === '\n') currentLine++
      pos = endComment + 2
      continue
    } else if (c === '"' || c === "'" || c === '`') {
      let k = pos + 1
      while (k < n && text[k] !== c) {
        if (text[k] === '\\') k++
        else if (text[k] === '\n') currentLine++
        k++
      }
      pos = k + 1
      continue
    } else if (c === '{') depth++
    else if (c === '}') {
      depth--
      if (depth === 0) return { start: line, end: currentLine }
      if (depth < 0) return null
    } else if (depth === 0 && c === ';') return null
    pos++
  }
  return null
}
