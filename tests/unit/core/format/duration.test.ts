import { describe, expect, it } from 'vitest'
import { formatDuration, formatDurationMs } from '../../../../core/format/duration.js'

describe('formatDuration (ns)', () => {
  it.each([
    [0, '0 ns'],
    [0.5, '0.500 ns'],
    [850, '850 ns'],
    [999.96, '1.00 µs'],
    [12_345, '12.3 µs'],
    [999_960, '1.00 ms'],
    [4_560_000, '4.56 ms'],
    [4.56e9, '4.56 s'],
    [125e9, '2 min 5 s'],
    [120e9, '2 min'],
    [-1500, '-1.50 µs'],
    [Number.NaN, 'n/a'],
  ])('%s ns → %s', (ns, text) => {
    expect(formatDuration(ns)).toBe(text)
  })

  it('takes milliseconds too', () => {
    expect(formatDurationMs(0.25)).toBe('250 µs')
    expect(formatDurationMs(1234)).toBe('1.23 s')
    expect(formatDurationMs(1.5)).toBe('1.50 ms')
  })
})
