import { describe, expect, it } from 'vitest'
import { formatChange, formatCompact, formatInteger, formatOpsPerSec, formatPct, formatRatio, formatSignificant } from '../../../../core/format/number.js'

describe('formatSignificant', () => {
  it.each([
    [1.23456, '1.23'],
    [0.0012345, '0.00123'],
    [12.345, '12.3'],
    [9.996, '10.0'],
    [123456, '123,456'],
    [-1.5, '-1.50'],
    [0, '0'],
    [Number.NaN, 'NaN'],
  ])('%s → %s', (n, text) => {
    expect(formatSignificant(n)).toBe(text)
  })
})

describe('formatCompact and formatInteger', () => {
  it.each([
    [950, '950'],
    [999.4, '999'],
    [999.6, '1.00 k'],
    [1_234_567, '1.23 M'],
    [999_960, '1.00 M'],
    [12_970_000, '13.0 M'],
    [2.5e9, '2.50 G'],
    [-2500, '-2.50 k'],
  ])('compact %s → %s', (n, text) => {
    expect(formatCompact(n)).toBe(text)
  })

  it('groups thousands and names throughput', () => {
    expect(formatInteger(1_234_567.4)).toBe('1,234,567')
    expect(formatInteger(-1000)).toBe('-1,000')
    expect(formatOpsPerSec(1_520_000)).toBe('1.52 M ops/s')
  })
})

describe('formatRatio, formatPct, formatChange', () => {
  it.each([
    [1.2345, '1.23x'],
    [0.8, '0.800x'],
    [null, 'n/a'],
    [Number.POSITIVE_INFINITY, 'n/a'],
  ])('ratio %s → %s', (r, text) => {
    expect(formatRatio(r)).toBe(text)
  })

  it.each([
    [0.1234, {}, '12.3%'],
    [0.1234, { signed: true }, '+12.3%'],
    [-0.05, { signed: true }, '-5.0%'],
    [-0.0001, { signed: true }, '0.0%'],
    [0, { signed: true }, '0.0%'],
    [12.345, {}, '1,235%'],
    [0.02, { decimals: 0 }, '2%'],
  ] as const)('pct %s %j → %s', (f, options, text) => {
    expect(formatPct(f, options)).toBe(text)
  })

  it('shows a ratio as a signed change', () => {
    expect(formatChange(1.2)).toBe('+20.0%')
    expect(formatChange(0.95)).toBe('-5.0%')
    expect(formatChange(1)).toBe('0.0%')
    expect(formatChange(null)).toBe('n/a')
  })
})
