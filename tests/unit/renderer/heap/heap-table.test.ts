import { describe, expect, it } from 'vitest'
import type { HeapClassSummary, HeapStatistics } from '../../../../core/analysis/heap-summary.js'
import type { HeapDiffClass } from '../../../../core/compare/heap-diff.js'
import {
  filterSortClasses,
  filterSortDiff,
  formatSignedCount,
  statisticsSegments,
} from '../../../../renderer/src/features/heap/heap-table.js'

const cls = (name: string, count: number, shallow: number, retained: number): HeapClassSummary => ({
  name,
  count,
  shallowSizeBytes: shallow,
  retainedSizeBytes: retained,
  largestInstance: { nodeOrdinal: 0, nodeId: 1, retainedSizeBytes: retained },
})

const diffRow = (name: string, deltaCount: number, deltaSize: number): HeapDiffClass => ({
  name,
  newCount: Math.max(0, deltaCount),
  deletedCount: Math.max(0, -deltaCount),
  deltaCount,
  allocSizeBytes: Math.max(0, deltaSize),
  freedSizeBytes: Math.max(0, -deltaSize),
  deltaSizeBytes: deltaSize,
  baseCount: 0,
  targetCount: 0,
})

describe('class table', () => {
  const classes = [cls('Object', 10, 100, 500), cls('QuoteCacheEntry', 5, 400, 900), cls('(string)', 50, 300, 300)]
  it('filters by name, case-insensitively', () => {
    expect(filterSortClasses(classes, 'quote', { key: 'retainedSizeBytes', dir: 'desc' }).map((c) => c.name)).toEqual(['QuoteCacheEntry'])
  })
  it('sorts by any column in either direction', () => {
    expect(filterSortClasses(classes, '', { key: 'count', dir: 'desc' }).map((c) => c.name)).toEqual([
      '(string)',
      'Object',
      'QuoteCacheEntry',
    ])
    expect(filterSortClasses(classes, '', { key: 'name', dir: 'asc' }).map((c) => c.name)).toEqual([
      '(string)',
      'Object',
      'QuoteCacheEntry',
    ])
    expect(filterSortClasses(classes, '', { key: 'shallowSizeBytes', dir: 'asc' })[0]?.name).toBe('Object')
  })
})

describe('statistics bar', () => {
  it('makes six segments whose shares add up to 1, other = other JS + other native', () => {
    const stats: HeapStatistics = {
      totalBytes: 1000,
      v8HeapBytes: 900,
      nativeBytes: 100,
      codeBytes: 100,
      stringsBytes: 200,
      jsArraysBytes: 100,
      typedArraysBytes: 50,
      systemBytes: 150,
      otherJsBytes: 350,
      otherNonJsBytes: 50,
      extraNativeBytes: 0,
    }
    const segs = statisticsSegments(stats)
    expect(segs.map((s) => s.key)).toEqual(['code', 'strings', 'arrays', 'typedArrays', 'system', 'other'])
    expect(segs.find((s) => s.key === 'other')?.bytes).toBe(400)
    expect(segs.reduce((a, s) => a + s.share, 0)).toBeCloseTo(1)
  })
})

describe('heap comparison', () => {
  it('puts the class that grew most on top by default', () => {
    const rows = [diffRow('(string)', 100, 2000), diffRow('QuoteCacheEntry', 10_900, 998_000), diffRow('Freed', -50, -4000)]
    expect(filterSortDiff(rows, '').map((r) => r.name)).toEqual(['QuoteCacheEntry', '(string)', 'Freed'])
    expect(filterSortDiff(rows, '', { key: 'deltaCount', dir: 'asc' })[0]?.name).toBe('Freed')
    expect(filterSortDiff(rows, 'str').map((r) => r.name)).toEqual(['(string)'])
  })
  it('signs counts', () => {
    expect(formatSignedCount(1234)).toBe('+1,234')
    expect(formatSignedCount(-5)).toBe('\u22125')
    expect(formatSignedCount(0)).toBe('0')
  })
})
