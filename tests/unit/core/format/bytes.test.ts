import { describe, expect, it } from 'vitest'
import { formatBytes } from '../../../../core/format/bytes.js'

describe('formatBytes (binary units)', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [999, '999 B'],
    [1000, '0.977 KB'],
    [1536, '1.50 KB'],
    [1024 * 1024 - 1, '1.00 MB'],
    [50 * 1024 ** 2, '50.0 MB'],
    [1.5 * 1024 ** 3, '1.50 GB'],
    [3 * 1024 ** 4, '3.00 TB'],
    [-2048, '-2.00 KB'],
    [Number.NaN, 'n/a'],
  ])('%s → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text)
  })
})
