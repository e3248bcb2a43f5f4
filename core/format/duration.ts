/**
 * Durations as text with a unit chosen by size (ns, µs, ms, s, min) and 3 significant digits.
 * Input in nanoseconds (latencies) or milliseconds (GC, CPU, wall times).
 */
import type { Milliseconds, Nanoseconds } from '../model/units.js'
import { formatSignificant } from './number.js'

const UNITS = [
  { ns: 1e9, unit: 's' },
  { ns: 1e6, unit: 'ms' },
  { ns: 1e3, unit: 'µs' },
  { ns: 1, unit: 'ns' },
] as const

/** A duration given in nanoseconds: 850 → "850 ns", 12_345 → "12.3 µs", 4.56e9 → "4.56 s", 125e9 → "2 min 5 s". */
export function formatDuration(ns: Nanoseconds): string {
  if (!Number.isFinite(ns)) return 'n/a'
  const sign = ns < 0 ? '-' : ''
  const abs = Math.abs(ns)
  if (abs >= 60e9) {
    const totalS = Math.round(abs / 1e9)
    const min = Math.floor(totalS / 60)
    const s = totalS % 60
    return `${sign}${min} min${s > 0 ? ` ${s} s` : ''}`
  }
  if (abs === 0) return '0 ns'
  for (let i = 0; i < UNITS.length; i++) {
    const u = UNITS[i] as (typeof UNITS)[number]
    if (abs < u.ns) continue
    const text = formatSignificant(abs / u.ns, 3)
    // 999.96 µs rounds to "1,000": step up to the next unit instead ("1.00 ms").
    const bigger = UNITS[i - 1]
    if (Number(text.replace(/,/g, '')) >= 1000 && bigger) return `${sign}${formatSignificant(abs / bigger.ns, 3)} ${bigger.unit}`
    return `${sign}${text} ${u.unit}`
  }
  return `${sign}${formatSignificant(abs, 3)} ns`
}

/** A duration given in milliseconds: 0.25 → "250 µs", 1234 → "1.23 s". */
export function formatDurationMs(ms: Milliseconds): string {
  return formatDuration(ms * 1e6)
}
