/**
 * Quantities with units, as written in assertions, budgets and load flags: durations (ns, us, µs, ms, s,
 * m, h), percentages, rates (10k, 1.5M/s), byte sizes (KB, MB, GB; binary) and plain counts. Each parses to
 * one canonical base unit: nanoseconds, a fraction, per second, bytes, a count.
 */
import type { Bytes, Nanoseconds } from '../model/units.js'

/** What a metric measures; fixes which units its threshold may carry and its canonical base unit. */
export type QuantityKind = 'duration' | 'percent' | 'rate' | 'bytes' | 'count'

/** A parsed quantity in its kind's base unit: ns, fraction (0.1 = 10%), per second, bytes, count. */
export interface Quantity {
  kind: QuantityKind
  value: number
  /** The text as written, e.g. "30us". */
  text: string
}

const DURATION_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, min: 60e9, h: 3600e9 }
const SI: Record<string, number> = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6, g: 1e9, G: 1e9 }
const BYTES: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3, tb: 1024 ** 4, tib: 1024 ** 4 }

/** Units each kind accepts, for error messages. */
export const UNITS_OF_KIND: Record<QuantityKind, string> = {
  duration: 'ns, us, ms, s, m, h (e.g. 30us)',
  percent: '% (e.g. 10%)',
  rate: 'a number with an optional k/M/G suffix and optional /s (e.g. 100k or 100k/s)',
  bytes: 'B, KB, MB, GB (binary, e.g. 512MB)',
  count: 'a number with an optional k/M/G suffix (e.g. 50)',
}

const NUMBER = String.raw`[+-]?(?:\d[\d_]*(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?`

/**
 * Parses `text` as a quantity of `kind`. Returns the quantity, or a message saying what was expected.
 * A duration, percentage or size without its unit is refused: "p99<30" does not say whether 30 ns or 30 ms.
 */
export function parseQuantity(kind: QuantityKind, text: string): Quantity | { error: string } {
  const t = text.trim()
  const expected = `expected ${UNITS_OF_KIND[kind]}`
  const m = new RegExp(`^(${NUMBER})\\s*([A-Za-zµμ%/]*)$`, 'i').exec(t)
  if (!m) return { error: `"${text}" is not a number with a unit; ${expected}` }
  const n = Number((m[1] as string).replace(/_/g, ''))
  const unit = m[2] as string
  if (!Number.isFinite(n)) return { error: `"${text}" is not a finite number; ${expected}` }
  const ok = (value: number): Quantity => ({ kind, value, text: t })
  switch (kind) {
    case 'duration': {
      if (unit === '') return { error: `"${text}" has no unit; ${expected}` }
      const f = DURATION_NS[unit] ?? DURATION_NS[unit.toLowerCase()]
      return f === undefined ? { error: `"${unit}" is not a time unit; ${expected}` } : ok(n * f)
    }
    case 'percent':
      if (unit !== '%') return { error: unit === '' ? `"${text}" has no unit; ${expected}` : `"${unit}" is not %; ${expected}` }
      return ok(n / 100)
    case 'rate':
    case 'count': {
      const body = kind === 'rate' ? unit.replace(/\/s$/i, '') : unit
      const f = SI[body]
      return f === undefined ? { error: `"${unit}" is not a suffix for a ${kind}; ${expected}` } : ok(n * f)
    }
    case 'bytes': {
      if (unit === '') return { error: `"${text}" has no unit; ${expected}` }
      const f = BYTES[unit.toLowerCase()]
      return f === undefined ? { error: `"${unit}" is not a size unit; ${expected}` } : ok(n * f)
    }
  }
}

export function isQuantityError(q: Quantity | { error: string }): q is { error: string } {
  return 'error' in q
}

/** A duration in ns from text like "5us"; throws with the message on bad input. */
export function parseDurationNs(text: string): Nanoseconds {
  const q = parseQuantity('duration', text)
  if (isQuantityError(q)) throw new Error(q.error)
  return q.value
}

/** A size in bytes from text like "512MB"; throws with the message on bad input. */
export function parseSizeBytes(text: string): Bytes {
  const q = parseQuantity('bytes', text)
  if (isQuantityError(q)) throw new Error(q.error)
  return q.value
}
