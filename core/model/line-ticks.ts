/**
 * Per-function line ticks: how many of a function's self samples V8 attributed to each source line
 * (the CPU profile's `positionTicks`, recorded per call path and summed here over every node of the
 * function). Stored in the function table as one CSR table so it crosses IPC and workers by structured clone.
 *
 * V8 records ticks per node, not per sample, so a time-range restriction or a transform cannot split them:
 * trees derived from an imported tree carry the whole profile's line ticks. A line can lie outside the
 * function's own body when V8 inlined a callee of the same script into it (the tick names the callee's line).
 */

/** Line ticks of every function: rows start[f]..start[f+1] of `line`/`ticks`, lines ascending. */
export interface FunctionLineTicks {
  /** length = function count + 1. */
  start: Int32Array
  /** 1-based source lines. */
  line: Int32Array
  ticks: Uint32Array
}

/** One line of a function with its ticks. */
export interface LineTick {
  line: number
  ticks: number
}

/** Collects positionTicks per function while a profile is imported; `finish` builds the table. */
export interface LineTickCollector {
  /**
   * Adds a node's positionTicks (anything: entries that are not `{line, ticks}` with a positive integer
   * line and a non-negative integer ticks are skipped, since the field is optional and only advisory).
   */
  add(func: number, positionTicks: unknown): void
  /** True once any tick was added. */
  readonly any: boolean
  finish(functionCount: number): FunctionLineTicks
}

export function createLineTickCollector(): LineTickCollector {
  const byFunc = new Map<number, Map<number, number>>()
  let any = false
  return {
    get any() {
      return any
    },
    add(func, positionTicks) {
      if (!Array.isArray(positionTicks)) return
      for (const entry of positionTicks as unknown[]) {
        if (typeof entry !== 'object' || entry === null) continue
        const { line, ticks } = entry as { line?: unknown; ticks?: unknown }
        if (!Number.isInteger(line) || (line as number) < 1 || !Number.isInteger(ticks) || (ticks as number) < 0) continue
        let lines = byFunc.get(func)
        if (!lines) byFunc.set(func, (lines = new Map()))
        lines.set(line as number, (lines.get(line as number) ?? 0) + (ticks as number))
        any = true
      }
    },
    finish(functionCount) {
      const start = new Int32Array(functionCount + 1)
      let total = 0
      for (let f = 0; f < functionCount; f++) {
        start[f] = total
        total += byFunc.get(f)?.size ?? 0
      }
      start[functionCount] = total
      const line = new Int32Array(total)
      const ticks = new Uint32Array(total)
      for (let f = 0; f < functionCount; f++) {
        const lines = byFunc.get(f)
        if (!lines) continue
        let k = start[f] as number
        for (const l of [...lines.keys()].sort((a, b) => a - b)) {
          line[k] = l
          ticks[k++] = lines.get(l) as number
        }
      }
      return { start, line, ticks }
    },
  }
}

/** The line ticks of function `fn`, lines ascending; empty when the profile has none for it. */
export function getFunctionLineTicks(table: FunctionLineTicks | undefined, fn: number): LineTick[] {
  if (!table || fn < 0 || fn + 1 >= table.start.length) return []
  const out: LineTick[] = []
  for (let k = table.start[fn] as number; k < (table.start[fn + 1] as number); k++) out.push({ line: table.line[k] as number, ticks: table.ticks[k] as number })
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
