import { describe, expect, it } from 'vitest'
import { computeWindow, moveFocus, rowsPerPage, scrollTopForRow } from '../../../../renderer/src/lib/windowing.js'

describe('computeWindow', () => {
  it('renders only the visible rows plus overscan at the top of a long list', () => {
    const w = computeWindow({ scrollTop: 0, viewportHeight: 400, rowHeight: 40, rowCount: 5000, overscan: 3 })
    expect(w).toEqual({ start: 0, end: 13, offsetTop: 0, totalHeight: 200_000 })
  })

  it('follows the scroll position in the middle of the list', () => {
    // Rows 250..259 are visible (10 000 px / 40); 3 of overscan either side.
    const w = computeWindow({ scrollTop: 10_000, viewportHeight: 400, rowHeight: 40, rowCount: 5000, overscan: 3 })
    expect(w.start).toBe(247)
    expect(w.end).toBe(263)
    expect(w.offsetTop).toBe(247 * 40)
  })

  it('includes a partly visible last row', () => {
    const w = computeWindow({ scrollTop: 20, viewportHeight: 100, rowHeight: 40, rowCount: 100, overscan: 0 })
    // 20..120 px covers rows 0 (partly), 1, 2 (partly).
    expect([w.start, w.end]).toEqual([0, 3])
  })

  it('clamps a scroll position past the end (rows removed while scrolled down)', () => {
    const w = computeWindow({ scrollTop: 99_999, viewportHeight: 400, rowHeight: 40, rowCount: 20, overscan: 2 })
    expect(w.end).toBe(20)
    expect(w.start).toBe(20 - 10 - 2)
    expect(w.totalHeight).toBe(800)
  })

  it('never renders more rows than exist', () => {
    const w = computeWindow({ scrollTop: 0, viewportHeight: 1000, rowHeight: 40, rowCount: 5, overscan: 10 })
    expect([w.start, w.end]).toEqual([0, 5])
  })

  it('is empty without rows or height', () => {
    expect(computeWindow({ scrollTop: 0, viewportHeight: 400, rowHeight: 40, rowCount: 0 })).toMatchObject({
      start: 0,
      end: 0,
      totalHeight: 0,
    })
    expect(computeWindow({ scrollTop: 0, viewportHeight: 0, rowHeight: 40, rowCount: 10 })).toMatchObject({
      start: 0,
      end: 0,
      totalHeight: 400,
    })
  })

  it('keeps the DOM small for 5,000 rows at every scroll position', () => {
    for (let top = 0; top <= 5000 * 40; top += 3331) {
      const w = computeWindow({ scrollTop: top, viewportHeight: 900, rowHeight: 40, rowCount: 5000, overscan: 6 })
      expect(w.end - w.start).toBeLessThanOrEqual(Math.ceil(900 / 40) + 1 + 12)
      expect(w.start).toBeGreaterThanOrEqual(0)
      expect(w.end).toBeLessThanOrEqual(5000)
    }
  })
})

describe('scrollTopForRow', () => {
  it('does not move when the row is already fully visible', () => {
    expect(scrollTopForRow(5, 100, 400, 40)).toBe(100)
  })
  it('aligns a row above the viewport to the top', () => {
    expect(scrollTopForRow(1, 100, 400, 40)).toBe(40)
  })
  it('aligns a row below the viewport to the bottom', () => {
    // Row 20 spans 800..840; a 400 px viewport must end at 840.
    expect(scrollTopForRow(20, 0, 400, 40)).toBe(440)
  })
})

describe('keyboard focus movement', () => {
  it('moves by one, by a page, and to the ends, clamped', () => {
    expect(moveFocus('ArrowDown', 3, 10, 4)).toBe(4)
    expect(moveFocus('ArrowUp', 3, 10, 4)).toBe(2)
    expect(moveFocus('ArrowUp', 0, 10, 4)).toBe(0)
    expect(moveFocus('ArrowDown', 9, 10, 4)).toBe(9)
    expect(moveFocus('PageDown', 8, 10, 4)).toBe(9)
    expect(moveFocus('PageUp', 2, 10, 4)).toBe(0)
    expect(moveFocus('Home', 7, 10, 4)).toBe(0)
    expect(moveFocus('End', 0, 10, 4)).toBe(9)
  })
  it('starts at the first row when nothing is focused', () => {
    expect(moveFocus('ArrowDown', -1, 10, 4)).toBe(0)
    expect(moveFocus('ArrowUp', -1, 10, 4)).toBe(0)
  })
  it('has nowhere to go in an empty list', () => {
    expect(moveFocus('ArrowDown', 0, 0, 4)).toBe(-1)
  })
  it('pages by the rows that fit, at least one', () => {
    expect(rowsPerPage(400, 40)).toBe(10)
    expect(rowsPerPage(30, 40)).toBe(1)
  })
})
