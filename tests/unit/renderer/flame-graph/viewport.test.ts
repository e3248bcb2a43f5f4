import { describe, expect, it } from 'vitest'
import {
  FULL_VIEWPORT,
  MIN_VIEW_WIDTH,
  ROW_HEIGHT,
  type Viewport,
  clampViewport,
  depthAtY,
  focusBox,
  maxScrollY,
  pan,
  pxToUnit,
  revealDepth,
  rowTop,
  unitToPx,
  visibleDepths,
  zoomAt,
} from '../../../../renderer/src/features/flame-graph/viewport.js'

const close = (a: number, b: number): boolean => Math.abs(a - b) < 1e-12
/** At the minimum width, float64 edges near 0.5 resolve the width to about 1e-4 relative (see MIN_VIEW_WIDTH). */
const isMinimumWidth = (v: Viewport): boolean => Math.abs(v.x1 - v.x0 - MIN_VIEW_WIDTH) / MIN_VIEW_WIDTH < 1e-3

describe('zoomAt', () => {
  it('keeps the point under the cursor where it is on screen', () => {
    const before: Viewport = { x0: 0.2, x1: 0.6, y: 0 }
    const x = 0.3
    const after = zoomAt(before, x, 2)
    expect(after.x1 - after.x0).toBeCloseTo(0.2, 12)
    expect(unitToPx(after, x, 800)).toBeCloseTo(unitToPx(before, x, 800), 9)
    expect(after).toEqual({ x0: 0.25, x1: expect.closeTo(0.45, 12), y: 0 })
  })

  it('zooming in then out by the same factor around the same point returns to the start', () => {
    const start: Viewport = { x0: 0.1, x1: 0.5, y: 7 }
    const back = zoomAt(zoomAt(start, 0.37, 3), 0.37, 1 / 3)
    expect(close(back.x0, start.x0) && close(back.x1, start.x1)).toBe(true)
    expect(back.y).toBe(7)
  })

  it('never zooms out past the whole profile, nor in past the minimum width', () => {
    expect(zoomAt({ x0: 0.4, x1: 0.6, y: 0 }, 0.5, 0.01)).toEqual({ x0: 0, x1: 1, y: 0 })
    const deep = zoomAt(FULL_VIEWPORT, 0.5, 1e30)
    expect(isMinimumWidth(deep)).toBe(true)
    expect(deep.x0).toBeLessThanOrEqual(0.5)
    expect(deep.x1).toBeGreaterThanOrEqual(0.5)
  })

  it('stays inside [0, 1] when zooming out near an edge', () => {
    const v = zoomAt({ x0: 0.9, x1: 1, y: 0 }, 0.99, 1 / 4)
    expect(v.x0).toBeGreaterThanOrEqual(0)
    expect(v.x1).toBe(1)
    expect(v.x1 - v.x0).toBeCloseTo(0.4, 12)
  })

  it('ignores nonsense factors', () => {
    expect(zoomAt({ x0: 0.2, x1: 0.4, y: 0 }, 0.3, Number.NaN)).toEqual({ x0: 0.2, x1: 0.4, y: 0 })
    expect(zoomAt({ x0: 0.2, x1: 0.4, y: 0 }, 0.3, 0)).toEqual({ x0: 0.2, x1: 0.4, y: 0 })
  })
})

describe('pan', () => {
  it('moves by the given unit distance and pixel offset', () => {
    const v = pan({ x0: 0.2, x1: 0.4, y: 10 }, 0.1, 5, 100)
    expect(v.x0).toBeCloseTo(0.3, 12)
    expect(v.x1).toBeCloseTo(0.5, 12)
    expect(v.y).toBe(15)
  })

  it('stops at the edges without shrinking the view', () => {
    expect(pan({ x0: 0.7, x1: 0.9, y: 0 }, 0.5, 0)).toEqual({ x0: expect.closeTo(0.8, 12), x1: 1, y: 0 })
    expect(pan({ x0: 0.1, x1: 0.3, y: 0 }, -0.5, 0)).toEqual({ x0: 0, x1: expect.closeTo(0.2, 12), y: 0 })
  })

  it('clamps the scroll offset to [0, maxY]', () => {
    expect(pan({ x0: 0, x1: 1, y: 10 }, 0, -50, 100).y).toBe(0)
    expect(pan({ x0: 0, x1: 1, y: 10 }, 0, 500, 100).y).toBe(100)
  })
})

describe('focusBox and revealDepth', () => {
  it('zooms onto a box, with an optional margin', () => {
    expect(focusBox(FULL_VIEWPORT, 0.25, 0.5)).toEqual({ x0: 0.25, x1: 0.5, y: 0 })
    const padded = focusBox(FULL_VIEWPORT, 0.25, 0.5, 0.1)
    expect(padded.x0).toBeCloseTo(0.225, 12)
    expect(padded.x1).toBeCloseTo(0.525, 12)
  })

  it('gives a zero-width box the minimum width around it', () => {
    const v = focusBox(FULL_VIEWPORT, 0.3, 0.3)
    expect(isMinimumWidth(v)).toBe(true)
    expect((v.x0 + v.x1) / 2).toBeCloseTo(0.3, 12)
  })

  it('scrolls the least needed to show a row', () => {
    const height = 5 * ROW_HEIGHT
    expect(revealDepth({ x0: 0, x1: 1, y: 0 }, 2, height).y).toBe(0)
    expect(revealDepth({ x0: 0, x1: 1, y: 0 }, 9, height).y).toBe(10 * ROW_HEIGHT - height)
    expect(revealDepth({ x0: 0, x1: 1, y: 8 * ROW_HEIGHT }, 3, height).y).toBe(3 * ROW_HEIGHT)
  })
})

describe('clampViewport and maxScrollY', () => {
  it('repairs inverted, out-of-range and NaN viewports', () => {
    expect(clampViewport({ x0: -0.5, x1: 0.2, y: -3 })).toEqual({ x0: 0, x1: expect.closeTo(0.7, 12), y: 0 })
    expect(isMinimumWidth(clampViewport({ x0: 0.5, x1: 0.4, y: 0 }))).toBe(true)
    expect(clampViewport({ x0: 0.2, x1: 0.4, y: 3 })).toEqual({ x0: 0.2, x1: 0.4, y: 3 })
    expect(clampViewport({ x0: Number.NaN, x1: 0.5, y: Number.NaN })).toEqual({ x0: 0, x1: 1, y: 0 })
    expect(clampViewport({ x0: -2, x1: 3, y: 0 })).toEqual({ x0: 0, x1: 1, y: 0 })
  })

  it('lets the rows scroll only as far as the content is taller than the canvas', () => {
    expect(maxScrollY(3, 500)).toBe(0)
    expect(maxScrollY(100, 500)).toBe(100 * ROW_HEIGHT + ROW_HEIGHT / 2 - 500)
  })
})

describe('row geometry', () => {
  it('maps every pixel of a row back to its depth, in both orientations and when scrolled', () => {
    const height = 300
    for (const orientation of ['icicle', 'flame'] as const) {
      for (const y of [0, 7, ROW_HEIGHT * 3]) {
        const v: Viewport = { x0: 0, x1: 1, y }
        for (let depth = 0; depth < 30; depth++) {
          const top = rowTop(depth, orientation, v, height)
          for (const dy of [0, 1, ROW_HEIGHT / 2, ROW_HEIGHT - 0.01]) expect(depthAtY(top + dy, orientation, v, height)).toBe(depth)
        }
      }
    }
  })

  it('puts the root at the top of an icicle and at the bottom of a flame graph', () => {
    expect(rowTop(0, 'icicle', FULL_VIEWPORT, 200)).toBe(0)
    expect(rowTop(0, 'flame', FULL_VIEWPORT, 200)).toBe(200 - ROW_HEIGHT)
    expect(rowTop(1, 'flame', FULL_VIEWPORT, 200)).toBe(200 - 2 * ROW_HEIGHT)
  })

  it('lists the rows on screen', () => {
    expect(visibleDepths(100, { x0: 0, x1: 1, y: 0 }, 5 * ROW_HEIGHT)).toEqual([0, 5])
    expect(visibleDepths(100, { x0: 0, x1: 1, y: 2.5 * ROW_HEIGHT }, 5 * ROW_HEIGHT)).toEqual([2, 7])
    expect(visibleDepths(3, { x0: 0, x1: 1, y: 0 }, 500)).toEqual([0, 2])
  })

  it('converts between unit positions and pixels', () => {
    const v: Viewport = { x0: 0.25, x1: 0.75, y: 0 }
    expect(unitToPx(v, 0.5, 1000)).toBe(500)
    expect(pxToUnit(v, 250, 1000)).toBe(0.375)
    expect(pxToUnit(v, unitToPx(v, 0.6, 333), 333)).toBeCloseTo(0.6, 12)
  })
})
