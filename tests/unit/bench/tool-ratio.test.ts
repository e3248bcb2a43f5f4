import { describe, expect, it } from 'vitest'
import { formatToolRatio, formatVerdict, goalVerdict, pairedToolRatio, type RoundMeasurement } from '../../../bench/tool-ratio.js'

const row = (tool: string, round: number, wallMs: number, error?: string): RoundMeasurement => ({
  tool,
  round,
  wallMs,
  ...(error !== undefined ? { error } : {}),
})

describe('pairedToolRatio', () => {
  it('pairs the tools by round: a drift that hits both tools of a round cancels', () => {
    // The machine gets slower round by round (x1, x2, x4); b is always 3x a within its round.
    const rows = [row('a', 0, 100), row('b', 0, 300), row('b', 1, 600), row('a', 1, 200), row('a', 2, 400), row('b', 2, 1200)]
    const r = pairedToolRatio(rows, 'b', 'a')
    expect(r?.pairs).toBe(3)
    expect(r?.estimate).toBeCloseTo(3, 10)
    // No spread between rounds: the interval is the point.
    expect(r?.low).toBeCloseTo(3, 10)
    expect(r?.high).toBeCloseTo(3, 10)
  })

  it('gives the geometric mean with an interval that widens with the spread', () => {
    const rows = [row('a', 0, 100), row('b', 0, 200), row('a', 1, 100), row('b', 1, 800)]
    const r = pairedToolRatio(rows, 'b', 'a')
    expect(r?.estimate).toBeCloseTo(4, 10)
    expect(r?.low as number).toBeLessThan(2)
    expect(r?.high as number).toBeGreaterThan(8)
  })

  it('leaves out rounds where either tool failed or is missing, and says how many it rests on', () => {
    const rows = [
      row('a', 0, 100),
      row('b', 0, 200),
      row('a', 1, 100),
      row('b', 1, Number.NaN, 'exit 1: RangeError: Invalid string length'),
      row('a', 2, 100),
      row('b', 3, 150),
    ]
    const r = pairedToolRatio(rows, 'b', 'a')
    expect(r).toEqual({ estimate: 2, low: null, high: null, pairs: 1 })
    expect(formatToolRatio(r)).toBe('2.00x (no interval), 1 round')
    expect(pairedToolRatio([row('a', 0, 100)], 'b', 'a')).toBeNull()
  })

  it('takes the fastest of several numerator tools in each round', () => {
    const rows = [
      row('ours', 0, 100),
      row('x', 0, 300),
      row('y', 0, 500),
      row('ours', 1, 100),
      row('x', 1, 700),
      row('y', 1, 300),
      row('ours', 2, 100),
      row('x', 2, 300),
      row('y', 2, Number.NaN, 'out of memory'),
    ]
    const r = pairedToolRatio(rows, ['x', 'y'], 'ours')
    expect(r?.pairs).toBe(3)
    expect(r?.estimate).toBeCloseTo(3, 10)
  })
})

describe('goalVerdict', () => {
  const r = (low: number, high: number) => ({ estimate: Math.sqrt(low * high), low, high, pairs: 8 })
  it('judges a goal on the whole interval, in either direction', () => {
    expect(goalVerdict(r(1.1, 1.25), 1.3, 'at most')).toBe('meets')
    expect(goalVerdict(r(1.28, 1.46), 1.3, 'at most')).toBe('unresolved')
    expect(goalVerdict(r(2.11, 2.71), 1.3, 'at most')).toBe('misses')
    expect(goalVerdict(r(2.6, 3.1), 2.5, 'at least')).toBe('meets')
    expect(goalVerdict(r(2.4, 2.7), 2.5, 'at least')).toBe('unresolved')
    expect(goalVerdict(r(1.9, 2.2), 2.5, 'at least')).toBe('misses')
    expect(goalVerdict({ estimate: 2, low: null, high: null, pairs: 1 }, 2.5, 'at least')).toBe('no interval')
    expect(goalVerdict(null, 2.5, 'at least')).toBe('no interval')
  })

  it('says so in a bench line', () => {
    expect(formatVerdict('unresolved', 1.3)).toBe(' → not resolved against the goal (interval spans 1.3)')
    expect(formatToolRatio(r(1.28, 1.46))).toMatch(/^1\.37x \[1\.28–1\.46\], 8 rounds$/)
  })
})
