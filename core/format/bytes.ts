/**
 * Byte sizes as text in binary units (1 KB = 1024 B), the way Chrome DevTools and `ps` report memory,
 * with 3 significant digits.
 */
import type { Bytes } from '../model/units.js'
import { formatSignificant } from './number.js'

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const

/** 512 → "512 B", 1536 → "1.50 KB", 52_428_800 → "50.0 MB". */
export function formatBytes(bytes: Bytes): string {
  if (!Number.isFinite(bytes)) return 'n/a'
  const sign = bytes < 0 ? '-' : ''
  let value = Math.abs(bytes)
  let unit = 0
  // Step up while the rounded value would need four digits (1023.9 KB reads "1.00 MB").
  while (unit < UNITS.length - 1 && Number(formatSignificant(value, 3).replace(/,/g, '')) >= 1000 && value >= 1000) {
    value /= 1024
    unit++
  }
  const text = unit === 0 ? String(Math.round(value)) : formatSignificant(value, 3)
  return `${sign}${text} ${UNITS[unit] as string}`
}
