/**
 * The flame graph's viewport and its geometry: which slice of the unit interval is on screen, how far
 * the rows are scrolled, and the conversions between unit x, depth and canvas pixels. Pure functions.
 */
import type { CssPixels, UnitInterval } from '../../../../core/model/units.js'

/** Flame: root at the bottom, callees grow upwards. Icicle: root at the top, callees grow downwards. */
export type FlameOrientation = 'flame' | 'icicle'

/**
 * What is on screen: the unit-interval range [x0, x1] spans the canvas width, and `y` is how far the
 * rows are scrolled away from the root edge (down from the top for icicles, up from the bottom for flames).
 */
export interface Viewport {
  x0: UnitInterval
  x1: UnitInterval
  /** Scroll offset from the root edge, in CSS pixels; 0 shows the root row. */
  y: CssPixels
}

/** Height of one depth row, in CSS pixels. */
export const ROW_HEIGHT: CssPixels = 18

/**
 * The narrowest range the viewport may show. Box edges are float64 fractions of the root total, so
 * 1e-12 still leaves about four significant digits between neighbouring edges at the deepest zoom
 * (speedscope hit float trouble when it zoomed past what its coordinates could resolve).
 */
export const MIN_VIEW_WIDTH: UnitInterval = 1e-12

export const FULL_VIEWPORT: Viewport = { x0: 0, x1: 1, y: 0 }

/** How far the rows can scroll: content taller than the canvas, plus half a row of breathing room. */
export function maxScrollY(rowCount: number, viewHeight: CssPixels): CssPixels {
  return Math.max(0, rowCount * ROW_HEIGHT + ROW_HEIGHT / 2 - viewHeight)
}

/**
 * Puts a viewport back in range: width within [MIN_VIEW_WIDTH, 1], inside [0, 1], y within [0, maxY].
 * Edges already in range are left exactly as they are, so repeated clamping does not drift.
 */
export function clampViewport(v: Viewport, maxY: CssPixels = Infinity): Viewport {
  let x0 = v.x0
  let x1 = v.x1
  if (!Number.isFinite(x0) || !Number.isFinite(x1) || x1 - x0 >= 1) {
    x0 = 0
    x1 = 1
  } else if (!(x1 - x0 >= MIN_VIEW_WIDTH)) {
    const mid = (x0 + x1) / 2
    x0 = mid - MIN_VIEW_WIDTH / 2
    x1 = mid + MIN_VIEW_WIDTH / 2
  }
  if (x0 < 0) {
    x1 -= x0
    x0 = 0
  } else if (x1 > 1) {
    x0 -= x1 - 1
    x1 = 1
  }
  const y = Math.min(Math.max(0, Number.isFinite(v.y) ? v.y : 0), Math.max(0, maxY))
  return { x0: Math.max(0, x0), x1: Math.min(1, x1), y }
}

/**
 * Zooms by `factor` (> 1 zooms in) keeping the unit position `x` where it is on screen, which is what
 * "zoom around the cursor" means.
 */
export function zoomAt(v: Viewport, x: UnitInterval, factor: number, maxY: CssPixels = Infinity): Viewport {
  if (!(factor > 0) || !Number.isFinite(factor)) return clampViewport(v, maxY)
  const width = v.x1 - v.x0
  const newWidth = Math.min(1, Math.max(MIN_VIEW_WIDTH, width / factor))
  // Where x sits across the screen, in [0, 1]; kept through the zoom.
  const t = width > 0 ? (x - v.x0) / width : 0.5
  const x0 = x - t * newWidth
  return clampViewport({ x0, x1: x0 + newWidth, y: v.y }, maxY)
}

/** Moves the viewport by `dx` (unit interval) and `dy` (CSS pixels away from the root edge). */
export function pan(v: Viewport, dx: UnitInterval, dy: CssPixels, maxY: CssPixels = Infinity): Viewport {
  const width = v.x1 - v.x0
  // Pushing against an edge stops there with the same width (x1 = 1 exactly, not 1 − ε).
  if (v.x0 + dx < 0) return clampViewport({ x0: 0, x1: width, y: v.y + dy }, maxY)
  if (v.x1 + dx > 1) return clampViewport({ x0: 1 - width, x1: 1, y: v.y + dy }, maxY)
  return clampViewport({ x0: v.x0 + dx, x1: v.x1 + dx, y: v.y + dy }, maxY)
}

/**
 * Zooms onto [start, end] (a box), with `margin` of the box's width left on each side so its edges
 * stay visible. y is unchanged; use revealDepth to scroll the box's row into view.
 */
export function focusBox(v: Viewport, start: UnitInterval, end: UnitInterval, margin = 0, maxY: CssPixels = Infinity): Viewport {
  const width = Math.max(0, end - start)
  const pad = width * margin
  return clampViewport({ x0: start - pad, x1: end + pad, y: v.y }, maxY)
}

/** Scrolls the least needed so the row at `depth` is fully on screen. */
export function revealDepth(v: Viewport, depth: number, viewHeight: CssPixels, maxY: CssPixels = Infinity): Viewport {
  // Distance of the row's far edge from the root edge, in content pixels.
  const near = depth * ROW_HEIGHT
  const far = near + ROW_HEIGHT
  let y = v.y
  if (near < y) y = near
  else if (far > y + viewHeight) y = far - viewHeight
  return clampViewport({ ...v, y }, maxY)
}

/** Canvas x (CSS pixels) of a unit position. */
export function unitToPx(v: Viewport, x: UnitInterval, width: CssPixels): CssPixels {
  return ((x - v.x0) / (v.x1 - v.x0)) * width
}

/** Unit position under a canvas x (CSS pixels). */
export function pxToUnit(v: Viewport, px: CssPixels, width: CssPixels): UnitInterval {
  return v.x0 + (px / width) * (v.x1 - v.x0)
}

/** Top edge of the row at `depth`, in canvas CSS pixels (may be off screen). */
export function rowTop(depth: number, orientation: FlameOrientation, v: Viewport, viewHeight: CssPixels): CssPixels {
  return orientation === 'icicle' ? depth * ROW_HEIGHT - v.y : viewHeight - (depth + 1) * ROW_HEIGHT + v.y
}

/** The depth whose row covers canvas y (may be negative or past the deepest row: callers check). */
export function depthAtY(y: CssPixels, orientation: FlameOrientation, v: Viewport, viewHeight: CssPixels): number {
  // A row covers [top, top + ROW_HEIGHT): floor for icicles, ceil − 1 for flames, whose depth grows upwards.
  return orientation === 'icicle' ? Math.floor((y + v.y) / ROW_HEIGHT) : Math.ceil((viewHeight - y + v.y) / ROW_HEIGHT) - 1
}

/** The depth rows at least partly on screen, as [first, last] (last < first when none). */
export function visibleDepths(rowCount: number, v: Viewport, viewHeight: CssPixels): [number, number] {
  const first = Math.max(0, Math.floor(v.y / ROW_HEIGHT))
  const last = Math.min(rowCount - 1, Math.floor((v.y + viewHeight) / ROW_HEIGHT))
  return [first, last]
}
