/**
 * Text for call tree values in the flame graph and call tree views: milliseconds as durations, bytes
 * as binary sizes, shares as percentages.
 */
import type { CallTreeUnit, TreeValue } from '../../../../core/model/call-tree.js'
import { formatBytes } from '../../../../core/format/bytes.js'
import { formatDurationMs } from '../../../../core/format/duration.js'
import { formatPct } from '../../../../core/format/number.js'

export function formatTreeValue(value: TreeValue, unit: CallTreeUnit): string {
  if (unit === 'bytes') return formatBytes(value)
  // formatDuration names zero "0 ns", which reads oddly in a column of milliseconds.
  return value === 0 ? '0 ms' : formatDurationMs(value)
}

/** `value` as a share of `total`, e.g. "12.3%"; "–" when the total is zero. */
export function formatShare(value: number, total: number): string {
  return total > 0 ? formatPct(value / total) : '–'
}

/** Drops the directories of a script url for narrow columns: `file:///app/src/book.js` → `book.js`. */
export function shortLocation(location: string): string {
  if (location === '') return ''
  const slash = location.lastIndexOf('/')
  return slash >= 0 && slash < location.length - 1 ? location.slice(slash + 1) : location
}
