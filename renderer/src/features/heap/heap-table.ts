/**
 * Pure helpers of the heap views: filtering and sorting the class table, the statistics bar's segments,
 * and ordering a snapshot comparison so growth is on top. Unit-tested on plain data.
 */
import type { HeapClassSummary, HeapStatistics } from '../../../../core/analysis/heap-summary.js'
import type { HeapDiffClass } from '../../../../core/compare/heap-diff.js'

export type ClassSortKey = 'name' | 'count' | 'shallowSizeBytes' | 'retainedSizeBytes'
export type SortDir = 'asc' | 'desc'

/** Classes whose name contains `filter` (case-insensitive), sorted; ties by name. */
export function filterSortClasses(
  classes: readonly HeapClassSummary[],
  filter: string,
  sort: { key: ClassSortKey; dir: SortDir },
): HeapClassSummary[] {
  const needle = filter.trim().toLowerCase()
  const rows = needle ? classes.filter((c) => c.name.toLowerCase().includes(needle)) : [...classes]
  const sign = sort.dir === 'asc' ? 1 : -1
  const byName = (a: HeapClassSummary, b: HeapClassSummary): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  return rows.sort((a, b) => {
    if (sort.key === 'name') return sign * byName(a, b)
    const d = a[sort.key] - b[sort.key]
    return d !== 0 ? sign * d : byName(a, b)
  })
}

/** The direction a column sorts in first: names A to Z, numbers largest first. */
export function defaultClassSortDir(key: ClassSortKey): SortDir {
  return key === 'name' ? 'asc' : 'desc'
}

export interface StatisticsSegment {
  key: 'code' | 'strings' | 'arrays' | 'typedArrays' | 'system' | 'other'
  label: string
  bytes: number
  /** Share of the bar's total, 0..1. */
  share: number
}

/**
 * The statistics bar as DevTools draws it: code, strings, JS arrays, typed arrays, system objects, and
 * the rest (other JS objects plus other native memory). Segments of 0 bytes are kept (the legend lists them).
 */
export function statisticsSegments(stats: HeapStatistics): StatisticsSegment[] {
  const parts: Omit<StatisticsSegment, 'share'>[] = [
    { key: 'code', label: 'Code', bytes: stats.codeBytes },
    { key: 'strings', label: 'Strings', bytes: stats.stringsBytes },
    { key: 'arrays', label: 'JS arrays', bytes: stats.jsArraysBytes },
    { key: 'typedArrays', label: 'Typed arrays', bytes: stats.typedArraysBytes },
    { key: 'system', label: 'System objects', bytes: stats.systemBytes },
    { key: 'other', label: 'Other', bytes: stats.otherJsBytes + stats.otherNonJsBytes },
  ]
  const total = parts.reduce((sum, p) => sum + Math.max(0, p.bytes), 0)
  return parts.map((p) => ({ ...p, share: total > 0 ? Math.max(0, p.bytes) / total : 0 }))
}

export type DiffSortKey = 'name' | 'newCount' | 'deletedCount' | 'deltaCount' | 'allocSizeBytes' | 'freedSizeBytes' | 'deltaSizeBytes'

/**
 * Comparison rows filtered by name and sorted; the default (delta size, largest first) puts the class
 * that grew most, the likely leak, at the top. Ties: larger delta count, then name.
 */
export function filterSortDiff(
  classes: readonly HeapDiffClass[],
  filter: string,
  sort: { key: DiffSortKey; dir: SortDir } = { key: 'deltaSizeBytes', dir: 'desc' },
): HeapDiffClass[] {
  const needle = filter.trim().toLowerCase()
  const rows = needle ? classes.filter((c) => c.name.toLowerCase().includes(needle)) : [...classes]
  const sign = sort.dir === 'asc' ? 1 : -1
  const byName = (a: HeapDiffClass, b: HeapDiffClass): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  return rows.sort((a, b) => {
    if (sort.key === 'name') return sign * byName(a, b)
    const d = a[sort.key] - b[sort.key]
    if (d !== 0) return sign * d
    return b.deltaCount - a.deltaCount || byName(a, b)
  })
}

/** A signed count: 1234 → "+1,234", -5 → "−5", 0 → "0". */
export function formatSignedCount(n: number): string {
  const text = Math.abs(n).toLocaleString('en-US')
  return n > 0 ? `+${text}` : n < 0 ? `\u2212${text}` : '0'
}
