import { describe, expect, it } from 'vitest'
import { BYTE_INCREMENTS, formatPercentValue, lastValue, placeMarkerLabels, roundLogTicks, thinTickLabels } from '../../../../renderer/src/components/charts/axis-format.js'

describe('axis helpers', () => {
  it('ticks a log axis at 1, 2 and 5 of each decade', () => {
    expect(roundLogTicks(1480, 16_100)).toEqual([2000, 5000, 10_000])
    expect(roundLogTicks(0.9, 120)).toEqual([1, 2, 5, 10, 20, 50, 100])
  })
  it('uses every multiple in a narrow range', () => {
    expect(roundLogTicks(2500, 4500)).toEqual([3000, 4000])
  })
  it('has no ticks for an impossible range', () => {
    expect(roundLogTicks(0, 10)).toEqual([])
    expect(roundLogTicks(10, 1)).toEqual([])
  })
  it('steps byte axes by powers of two of each unit', () => {
    expect(BYTE_INCREMENTS).toContain(16 * 1024 ** 2)
    expect(BYTE_INCREMENTS).toContain(512 * 1024)
    expect([...BYTE_INCREMENTS].sort((a, b) => a - b)).toEqual(BYTE_INCREMENTS)
  })
  it('formats CPU percentages without noise digits', () => {
    expect(formatPercentValue(97.4)).toBe('97%')
    expect(formatPercentValue(150)).toBe('150%')
    expect(formatPercentValue(2.54)).toBe('2.5%')
    expect(formatPercentValue(0)).toBe('0%')
  })
  it('finds the latest value of a column with gaps', () => {
    expect(lastValue([1, 2, null, undefined])).toBe(2)
    expect(lastValue([null])).toBeNull()
  })
})

describe('thinTickLabels', () => {
  it('keeps every label when they fit', () => {
    expect(thinTickLabels([0, 100, 200], [40, 40, 40])).toEqual([true, true, true])
  })
  it('drops labels that would overlap the previous one, keeping the last tick', () => {
    // 30 px apart, 40 px wide: every other one fits; the last one replaces its neighbour.
    expect(thinTickLabels([0, 30, 60, 90, 120], [40, 40, 40, 40, 40])).toEqual([true, false, true, false, true])
    expect(thinTickLabels([0, 30, 60, 90], [40, 40, 40, 40])).toEqual([true, false, false, true])
  })
})

describe('placeMarkerLabels', () => {
  it('flips a label at the right edge to the left of its line', () => {
    expect(placeMarkerLabels([{ x: 390, width: 20 }], 400, 3)).toEqual([{ x: 387, align: 'right', line: 0 }])
  })
  it('moves an overlapping label down a line', () => {
    const placed = placeMarkerLabels(
      [
        { x: 100, width: 20 },
        { x: 110, width: 20 },
        { x: 300, width: 20 },
      ],
      400,
      3,
    )
    expect(placed.map((p) => p.line)).toEqual([0, 1, 0])
  })
})
