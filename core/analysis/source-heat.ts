/**
 * The heat of a function's source lines for the source view: self time per line from the profile's
 * positionTicks (core/model/line-ticks.ts), which lines are the function's own body, its hottest line there,
 * and the lines outside the body that hold ticks (code V8 inlined into the function from elsewhere in the file).
 */
import type { CallTree, FunctionIndex } from '../model/call-tree.js'
import { type LineTick, functionBodyLines, getFunctionLineTicks } from '../model/line-ticks.js'
import type { Milliseconds } from '../model/units.js'

/** One source line with ticks. */
export interface HotLine {
  /** 1-based. */
  line: number
  ticks: number
  selfMs: Milliseconds
  /** Fraction (0..1) of the function's line ticks. */
  share: number
  /** False for ticks on a line outside the function's own body (inlined code). */
  inBody: boolean
}

export interface SourceHeat {
  /** The function's body in the text (start and end lines, 1-based, inclusive), or null when it was not found. */
  body: { start: number; end: number } | null
  /** Lines with ticks, ascending. */
  lines: HotLine[]
  /** By line: index into `lines`, or -1 (length = line count + 1; index 0 unused). */
  byLine: Int32Array
  totalTicks: number
  totalMs: Milliseconds
  /** The hottest line inside the body (any line when no body was found); null when the body has no ticks. */
  hottest: HotLine | null
  /** Lines with ticks outside the body. */
  inlinedLines: number
  /** Ticks on lines past the end of the text (the file changed since the run). */
  ticksPastEnd: number
  msPerTick: Milliseconds
}

/** Milliseconds one sample of `fn` stands for: the profile's mean interval, else the function's own mean. */
export function msPerLineTick(tree: CallTree, fn: FunctionIndex): Milliseconds {
  const mean = tree.meta.meanIntervalMs
  if (mean !== undefined && mean > 0) return mean
  const samples = tree.functions.selfSamples[fn] ?? 0
  return samples > 0 ? (tree.functions.self[fn] ?? 0) / samples : 0
}

/** Counts the lines of a text as the source view shows them (a final newline ends the last line, it opens none). */
export function countLines(text: string): number {
  if (text === '') return 1
  let n = 1
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++
  return text.endsWith('\n') ? n - 1 : n
}

/** The heat of function `fn` of `tree` over the source `text` of its script. */
export function computeSourceHeat(tree: CallTree, fn: FunctionIndex, text: string): SourceHeat {
  const line = tree.functions.line[fn] ?? 0
  const column = tree.functions.column[fn] ?? 0
  const body = line > 0 ? functionBodyLines(text, line, Math.max(1, column)) : null
  return computeLineHeat(getFunctionLineTicks(tree.functions.lineTicks, fn), countLines(text), body, msPerLineTick(tree, fn))
}

/** The pure part of computeSourceHeat, for ticks, a line count and a body range already at hand. */
export function computeLineHeat(
  ticks: readonly LineTick[],
  lineCount: number,
  body: { start: number; end: number } | null,
  msPerTick: Milliseconds,
): SourceHeat {
  const totalTicks = ticks.reduce((s, t) => s + t.ticks, 0)
  const byLine = new Int32Array(lineCount + 1).fill(-1)
  const lines: HotLine[] = []
  let ticksPastEnd = 0
  let hottest: HotLine | null = null
  let inlinedLines = 0
  for (const t of ticks) {
    if (t.ticks === 0) continue
    if (t.line > lineCount) {
      ticksPastEnd += t.ticks
      continue
    }
    const inBody = body === null || (t.line >= body.start && t.line <= body.end)
    const hot: HotLine = {
      line: t.line,
      ticks: t.ticks,
      selfMs: t.ticks * msPerTick,
      share: totalTicks > 0 ? t.ticks / totalTicks : 0,
      inBody,
    }
    byLine[t.line] = lines.length
    lines.push(hot)
    if (!inBody) inlinedLines++
    // Ties go to the first line, so the mark is stable.
    if (inBody && (hottest === null || hot.ticks > hottest.ticks)) hottest = hot
  }
  return {
    body,
    lines,
    byLine,
    totalTicks,
    totalMs: totalTicks * msPerTick,
    hottest,
    inlinedLines,
    ticksPastEnd,
    msPerTick,
  }
}
