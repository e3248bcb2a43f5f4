/**
 * Axis helpers for the charts: tick steps that land on round byte sizes (16 MB, not 47.7 MB), percent
 * labels, and log-axis ticks at round values (1, 2 and 5 of each decade).
 */
import { formatSignificant } from '../../../../core/format/number.js'

/** Tick increments for byte axes: 1, 2, 4, 8, 16, 32, 64, 128, 256, 512 of each binary unit (B, KB, MB, GB). */
export const BYTE_INCREMENTS: number[] = (() => {
  const out: number[] = []
  for (let unit = 1; unit <= 1024 ** 4; unit *= 1024) for (let m = 1; m < 1024; m *= 2) out.push(m * unit)
  return out
})()

/** "97%" above 10%, "2.5%" below: CPU percentages do not need three digits. */
export function formatPercentValue(pct: number): string {
  if (!Number.isFinite(pct)) return 'n/a'
  return Math.abs(pct) >= 10 ? `${Math.round(pct)}%` : `${formatSignificant(pct, 2)}%`
}

/** The last non-null value of a column: what a live legend shows when the cursor is not on the chart. */
export function lastValue(column: ArrayLike<number | null | undefined>): number | null {
  for (let i = column.length - 1; i >= 0; i--) {
    const v = column[i]
    if (v !== null && v !== undefined) return v
  }
  return null
}

/**
 * Ticks for a log axis between min and max at 1, 2 and 5 times powers of ten; when that leaves fewer
 * than three inside a narrow range, every integer multiple (1..9) is used instead.
 */
export function roundLogTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max >= min)) return []
  const collect = (mantissas: readonly number[]): number[] => {
    const out: number[] = []
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
      for (const m of mantissas) {
        // Rounded to 12 significant digits: 3 * 10^-1 is 0.30000000000000004 in binary floating point.
        const v = Number((m * 10 ** e).toPrecision(12))
        if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) out.push(v)
      }
    }
    return out
  }
  const coarse = collect([1, 2, 5])
  return coarse.length >= 3 ? coarse : collect([1, 2, 3, 4, 5, 6, 7, 8, 9])
}

/**
 * Which tick labels to draw so that none overlaps the one before it: walks the ticks left to right and
 * keeps a label only when it starts at least `gapPx` after the previous kept label ends. The last
 * tick wins over the one before it when they collide, so the axis always shows how far it reaches.
 */
export function thinTickLabels(positionsPx: readonly number[], widthsPx: readonly number[], gapPx = 8): boolean[] {
  const keep = positionsPx.map(() => false)
  let lastRight = -Infinity
  let lastKept = -1
  for (let i = 0; i < positionsPx.length; i++) {
    const half = (widthsPx[i] ?? 0) / 2
    const left = (positionsPx[i] ?? 0) - half
    if (left >= lastRight + gapPx) {
      keep[i] = true
      lastRight = (positionsPx[i] ?? 0) + half
      lastKept = i
    } else if (i === positionsPx.length - 1 && lastKept > 0) {
      // Drop the previous label instead, if the last one then fits after the one before that.
      keep[lastKept] = false
      keep[i] = true
    }
  }
  return keep
}

/**
 * Where marker labels go on a chart: to the right of their line, or to its left when they would run
 * past the plot's right edge; a label that would overlap an earlier one moves down a line.
 */
export function placeMarkerLabels(
  markers: readonly { x: number; width: number }[],
  plotRight: number,
  padPx = 3,
): { x: number; align: 'left' | 'right'; line: number }[] {
  const placed: { left: number; right: number; line: number }[] = []
  return markers.map((m) => {
    const right = m.x + padPx + m.width <= plotRight
    const left = right ? m.x + padPx : m.x - padPx - m.width
    const box = { left, right: left + m.width }
    let line = 0
    while (placed.some((p) => p.line === line && p.left < box.right + padPx && box.left < p.right + padPx)) line++
    placed.push({ ...box, line })
    return { x: right ? m.x + padPx : m.x - padPx, align: right ? 'left' : 'right', line }
  })
}
