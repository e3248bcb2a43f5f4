/**
 * Number formatting for reports and the CLI: significant digits, thousands separators, SI suffixes,
 * ratios and signed percentages. Locale-independent (ASCII, "," groups) so output is stable in tests and CI logs.
 */

/** Groups the integer part of a decimal string with commas: "1234567.5" → "1,234,567.5". */
function groupThousands(text: string): string {
  const [int = '', frac] = text.split('.')
  const sign = int.startsWith('-') ? '-' : ''
  const digits = sign ? int.slice(1) : int
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${sign}${grouped}${frac !== undefined ? `.${frac}` : ''}`
}

/** An integer with thousands separators: 1234567 → "1,234,567". Non-integers are rounded. */
export function formatInteger(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  return groupThousands(Math.round(n).toFixed(0))
}

/**
 * `digits` significant digits without exponent notation: 1.23456 → "1.23", 0.0012345 → "0.00123";
 * values with more integer digits than that are rounded to integers and grouped: 123456 → "123,456".
 */
export function formatSignificant(n: number, digits = 3): string {
  if (!Number.isFinite(n)) return String(n)
  if (n === 0) return '0'
  if (Math.abs(n) >= 10 ** digits) return formatInteger(n)
  const magnitude = Math.floor(Math.log10(Math.abs(n)))
  const decimals = Math.max(0, digits - 1 - magnitude)
  const text = n.toFixed(Math.min(20, decimals))
  // Rounding can carry into a new digit (9.996 → "10.00"): one decimal fewer keeps the digit count.
  const carried = Math.abs(Number(text)) >= 10 ** (magnitude + 1) && decimals > 0
  return groupThousands(carried ? n.toFixed(decimals - 1) : text)
}

const SI = [
  { factor: 1e12, suffix: 'T' },
  { factor: 1e9, suffix: 'G' },
  { factor: 1e6, suffix: 'M' },
  { factor: 1e3, suffix: 'k' },
] as const

/** A count with an SI suffix and 3 significant digits: 1234567 → "1.23 M", 950 → "950". */
export function formatCompact(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  const abs = Math.abs(n)
  for (const { factor, suffix } of SI) {
    // 0.9995 of the factor rounds to "1.00" of it: 999,960 reads "1.00 M", not "1,000 k".
    if (abs >= factor * 0.9995) return `${formatSignificant(n / factor, 3)} ${suffix}`
  }
  return formatSignificant(n, 3)
}

/** Operations per second: "1.23 M ops/s". */
export function formatOpsPerSec(opsPerSec: number): string {
  return `${formatCompact(opsPerSec)} ops/s`
}

/** A ratio: 1.2345 → "1.23x"; null or non-finite → "n/a". */
export function formatRatio(ratio: number | null | undefined, digits = 3): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return 'n/a'
  return `${formatSignificant(ratio, digits)}x`
}

/**
 * A fraction as a percentage: 0.1234 → "12.3%". `signed` adds "+" to positive values (changes).
 * One decimal below 100%, none above; NaN or null → "n/a".
 */
export function formatPct(fraction: number | null | undefined, options: { signed?: boolean; decimals?: number } = {}): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return 'n/a'
  const pct = fraction * 100
  const decimals = options.decimals ?? (Math.abs(pct) >= 100 ? 0 : 1)
  let text = pct.toFixed(decimals)
  if (/^-0(\.0*)?$/.test(text)) text = text.slice(1)
  const sign = options.signed && pct > 0 && Number(text) !== 0 ? '+' : ''
  return `${sign}${groupThousands(text)}%`
}

/** The change a ratio stands for, signed: 1.2 → "+20.0%", 0.95 → "-5.0%". */
export function formatChange(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return 'n/a'
  return formatPct(ratio - 1, { signed: true })
}
